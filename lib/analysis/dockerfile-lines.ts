// Ties an image's history layers to the Dockerfile lines that made them, with a real Dockerfile
// parser (dockerfile-ast: continuations, heredocs, comments, parser directives), so advice can
// say "line 7". Pure.
import { DockerfileParser, type Instruction } from "dockerfile-ast";

export type DockerfileInstruction = {
  keyword: string;
  /** 1-based line where the instruction starts. */
  line: number;
  /** "RUN apt-get update && …": keyword and arguments, flags dropped, whitespace collapsed. */
  text: string;
};

export type LayerForLines = { position: number; instruction: string; isFromBase: boolean };

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

// Flags of RUN/COPY/ADD (--mount=…, --from=…, --chown=…) are not in the history text.
const withoutFlags = (args: string) => args.replace(/^(?:--[a-z-]+(?:=\S*)?\s+)+/i, "");

const toInstruction = (instruction: Instruction): DockerfileInstruction => ({
  keyword: instruction.getKeyword().toUpperCase(),
  line: instruction.getRange().start.line + 1,
  text: collapse(`${instruction.getKeyword().toUpperCase()} ${withoutFlags(collapse(instruction.getArgumentsContent() ?? ""))}`),
});

/**
 * The instructions that build the target stage (the last one when no target is given), with
 * those of the stages it is built FROM ahead of them: `FROM builder AS final` inherits builder's layers.
 */
export const stageInstructions = (dockerfileText: string, target?: string | null): DockerfileInstruction[] => {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const froms = dockerfile.getFROMs();
  if (froms.length === 0) return [];
  const instructions = dockerfile.getInstructions();
  const stages = froms.map((from, index) => {
    const start = from.getRange().start.line;
    const end = index + 1 < froms.length ? froms[index + 1].getRange().start.line : Number.POSITIVE_INFINITY;
    return {
      name: from.getBuildStage()?.toLowerCase() ?? null,
      image: from.getImageName()?.toLowerCase() ?? null,
      instructions: instructions.filter((i) => {
        const line = i.getRange().start.line;
        return line > start && line < end;
      }),
    };
  });
  let index = target ? stages.findIndex((stage) => stage.name === target.toLowerCase()) : stages.length - 1;
  if (index < 0) index = stages.length - 1;
  const chain: typeof stages = [];
  for (let guard = 0; index >= 0 && guard < stages.length; guard++) {
    const stage = stages[index];
    chain.unshift(stage);
    const parent = stage.image;
    index = parent ? stages.findIndex((other, i) => i < index && other.name === parent) : -1;
  }
  return chain.flatMap((stage) => stage.instructions.map(toInstruction));
};

const keywordOf = (instruction: string) => /^([A-Z]+)\b/.exec(instruction)?.[1] ?? "";

/**
 * Dockerfile line of each own layer (history position → line). Layers and instructions are the
 * same program in the same order, so they are aligned in sequence: an instruction with the same
 * keyword and the same text wins; otherwise the next one with the same keyword (the engine
 * writes COPY sources and ENV values expanded, `COPY dir:<hash> in /app` on the classic builder).
 */
export const linesOfLayers = (layers: LayerForLines[], dockerfileText: string | null | undefined, target?: string | null): Map<number, number> => {
  const lines = new Map<number, number>();
  if (!dockerfileText) return lines;
  let instructions: DockerfileInstruction[];
  try {
    instructions = stageInstructions(dockerfileText, target);
  } catch {
    return lines;
  }
  let cursor = 0;
  for (const layer of [...layers].filter((l) => !l.isFromBase).sort((a, b) => a.position - b.position)) {
    const keyword = keywordOf(layer.instruction);
    if (!keyword) continue;
    const text = collapse(layer.instruction);
    let found = -1;
    for (let i = cursor; i < instructions.length; i++) {
      if (instructions[i].keyword === keyword && instructions[i].text === text) {
        found = i;
        break;
      }
    }
    if (found < 0 && instructions[cursor]?.keyword !== keyword) {
      // Skip instructions that leave no history (ARG on BuildKit) until the keyword matches.
      found = instructions.findIndex((instruction, i) => i >= cursor && instruction.keyword === keyword);
    } else if (found < 0) found = cursor;
    if (found < 0) continue;
    lines.set(layer.position, instructions[found].line);
    cursor = found + 1;
  }
  return lines;
};
