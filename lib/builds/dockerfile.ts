// Small, pure reads of a Dockerfile: declared ARGs and the final stage's base image.
const FROM_RE = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i;
const ARG_RE = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$/i;

const logicalLines = (text: string) =>
  text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.trim().startsWith("#"));

export const declaresArg = (text: string, name: string) =>
  logicalLines(text).some((line) => ARG_RE.exec(line)?.[1] === name);

const substitute = (value: string, args: Record<string, string>) =>
  value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, key: string) => args[key] ?? "");

// The image the final stage starts from, following `FROM <stage>` back to a real image.
export const findFinalBaseImage = (text: string, buildArgs: Record<string, string> = {}, target?: string | null): string | null => {
  const globalArgs: Record<string, string> = {};
  const stages: Array<{ image: string; alias: string | null }> = [];
  for (const line of logicalLines(text)) {
    const from = FROM_RE.exec(line);
    if (from) {
      stages.push({ image: substitute(from[1], { ...globalArgs, ...buildArgs }), alias: from[2]?.toLowerCase() ?? null });
      continue;
    }
    const arg = ARG_RE.exec(line);
    if (arg && stages.length === 0) globalArgs[arg[1]] = arg[2] ?? "";
  }
  let index = target ? stages.findIndex((s) => s.alias === target.toLowerCase()) : stages.length - 1;
  const seen = new Set<number>();
  while (index >= 0 && !seen.has(index)) {
    seen.add(index);
    const image = stages[index].image;
    const parent = stages.findIndex((s, i) => i < index && s.alias === image.toLowerCase());
    if (parent < 0) return image || null;
    index = parent;
  }
  return null;
};
