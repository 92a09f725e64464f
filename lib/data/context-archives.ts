// Uploaded build contexts (.tar / .tar.gz), stored in Postgres so any worker can build them.
import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export type ContextArchiveDto = { id: string; filename: string; size: number; sha256: string; createdAt: string };

const select = { id: true, filename: true, size: true, sha256: true, createdAt: true } as const;

const toDto = (row: { id: string; filename: string; size: number; sha256: string; createdAt: Date }): ContextArchiveDto => ({
  id: row.id,
  filename: row.filename,
  size: row.size,
  sha256: row.sha256,
  createdAt: row.createdAt.toISOString(),
});

export const sha256Hex = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Stores an archive that was already validated (opened and extracted once). */
export const createContextArchive = async (input: { filename: string; data: Buffer }): Promise<ContextArchiveDto> => {
  const row = await db.contextArchive.create({
    data: {
      filename: input.filename,
      size: input.data.length,
      sha256: sha256Hex(input.data),
      // Prisma 6 wants a Uint8Array backed by a plain ArrayBuffer for Bytes.
      data: new Uint8Array(input.data),
    },
    select,
  });
  return toDto(row);
};

export const getContextArchive = async (id: string): Promise<ContextArchiveDto> => {
  const row = await db.contextArchive.findUnique({ where: { id }, select });
  if (!row) throw new AppError("NOT_FOUND", `uploaded archive ${id} not found; upload it again`);
  return toDto(row);
};

/** The archive's bytes, for the worker that builds it; null when it is gone. */
export const findContextArchiveData = async (id: string): Promise<{ filename: string; data: Buffer } | null> => {
  const row = await db.contextArchive.findUnique({ where: { id }, select: { filename: true, data: true } });
  return row ? { filename: row.filename, data: Buffer.from(row.data) } : null;
};

export const countContextArchives = (): Promise<number> => db.contextArchive.count();

/**
 * Points an ARCHIVE project at its uploaded archive. A separate write because the shared
 * project schema has no archiveId field yet.
 */
export const attachContextArchive = async (projectId: string, archiveId: string): Promise<void> => {
  await getContextArchive(archiveId);
  await db.project.update({ where: { id: projectId }, data: { archiveId, contextKind: "ARCHIVE" } });
};
