// Compressed sizes of charted builds (issue 17), for the size chart's compressed view. Bounded
// by the history points the page already holds.
import "server-only";
import { db } from "@/lib/db";

export const findCompressedSizes = async (buildIds: string[]): Promise<Map<string, number>> => {
  if (!buildIds.length) return new Map();
  const rows = await db.build.findMany({ where: { id: { in: buildIds.slice(0, 20_000) }, compressedSize: { not: null } }, select: { id: true, compressedSize: true } });
  return new Map(rows.map((row) => [row.id, Number(row.compressedSize)]));
};
