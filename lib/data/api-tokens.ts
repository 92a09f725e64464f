// API tokens for CI and the CLI: shown once, stored as a SHA-256 hash, revocable.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createSecret, hashSecret } from "@/lib/auth/tokens";
import type { Role } from "@/lib/auth/roles";

export type ApiTokenDto = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export const createApiToken = async (input: { name: string; role: Role; createdById: string }): Promise<{ token: string; apiToken: ApiTokenDto }> => {
  const token = createSecret("lbt");
  const row = await db.apiToken.create({
    data: { name: input.name, role: input.role, createdById: input.createdById, tokenHash: hashSecret(token), prefix: token.slice(0, 10) },
    include: { createdBy: { select: { email: true } } },
  });
  return { token, apiToken: toDto(row) };
};

export const findApiTokens = async (): Promise<ApiTokenDto[]> =>
  (await db.apiToken.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }], include: { createdBy: { select: { email: true } } } })).map(toDto);

export type ActiveApiToken = { id: string; name: string; role: Role; lastUsedAt: Date | null };

// The token behind a bearer secret, or null when it is unknown or revoked.
export const findActiveApiToken = async (token: string): Promise<ActiveApiToken | null> => {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row || row.revokedAt) return null;
  return { id: row.id, name: row.name, role: row.role, lastUsedAt: row.lastUsedAt };
};

export const recordApiTokenUse = async (id: string) => {
  await db.apiToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
};

export const revokeApiToken = async (id: string) => {
  const updated = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (!updated.count) throw new AppError("NOT_FOUND", `API token ${id} not found or already revoked`);
};

type ApiTokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy?: { email: string } | null;
};

const toDto = (t: ApiTokenRow): ApiTokenDto => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  role: t.role,
  createdAt: t.createdAt.toISOString(),
  createdBy: t.createdBy?.email ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});
