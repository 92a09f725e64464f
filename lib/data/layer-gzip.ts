// The gzip size measured once per layer (by diff_id) in the pass after the content analysis
// (issue 17): the estimated compressed size of every build that has the layer.
import "server-only";
import { db } from "@/lib/db";

export const findLayerGzipBytes = async (diffIds: string[]): Promise<Map<string, number>> => {
  if (!diffIds.length) return new Map();
  const rows = await db.contentLayer.findMany({ where: { diffId: { in: [...new Set(diffIds)] }, gzipBytes: { not: null } }, select: { diffId: true, gzipBytes: true } });
  return new Map(rows.map((row) => [row.diffId, Number(row.gzipBytes)]));
};

/** Export entry names remembered for these layers (entry name → diff_id). */
export const findExportNames = async (diffIds: string[]): Promise<Map<string, string>> => {
  if (!diffIds.length) return new Map();
  const rows = await db.contentLayerExportName.findMany({ where: { diffId: { in: [...new Set(diffIds)] } } });
  return new Map(rows.map((row) => [row.name, row.diffId]));
};

export const saveLayerGzipBytes = async (diffId: string, gzipBytes: number): Promise<void> => {
  await db.contentLayer.updateMany({ where: { diffId }, data: { gzipBytes: BigInt(gzipBytes) } });
};
