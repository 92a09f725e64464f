// What "nothing lost, nothing twice" means for one build, checked on the database it ran
// against (the fault tests use a private one, hence the client argument).
import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type IntegrityReport = { logLines: number; problems: string[] };

/**
 * Its stored log seqs are exactly 1..N with N = Build.logLines, each expected line is there
 * exactly once, and the variant has exactly `buildsPerVariant` Build rows (one per request).
 */
export const checkBuildIntegrity = async (
  client: PrismaClient,
  buildId: string,
  expected: { lines?: string[]; buildsPerVariant?: number } = {},
): Promise<IntegrityReport> => {
  const build = await client.build.findUniqueOrThrow({ where: { id: buildId } });
  const lines = await client.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" }, select: { seq: true, text: true } });
  const problems: string[] = [];
  const seqs = lines.map((line) => line.seq);
  const gaps = seqs.filter((seq, i) => seq !== i + 1);
  if (gaps.length) problems.push(`log seqs are not 1..${lines.length}: first out of place ${gaps[0]}`);
  if (build.logLines !== lines.length) problems.push(`Build.logLines is ${build.logLines} but ${lines.length} lines are stored`);
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line.text, (counts.get(line.text) ?? 0) + 1);
  for (const text of expected.lines ?? []) {
    const count = counts.get(text) ?? 0;
    if (count !== 1) problems.push(`"${text}" is stored ${count} times`);
  }
  const rows = await client.build.count({ where: { variantId: build.variantId } });
  if (rows !== (expected.buildsPerVariant ?? 1)) problems.push(`${rows} Build rows for the variant, expected ${expected.buildsPerVariant ?? 1}`);
  return { logLines: lines.length, problems };
};
