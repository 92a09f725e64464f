// Who is making a request: a signed-in user (session cookie) or an API token (Bearer).
import "server-only";
import { findSessionUser } from "@/lib/data/users";
import { findActiveApiToken, recordApiTokenUse } from "@/lib/data/api-tokens";
import type { Role } from "@/lib/auth/roles";

export const SESSION_COOKIE = "lb_session";

export type Actor = { kind: "user"; userId: string; email: string; name: string; role: Role } | { kind: "token"; tokenId: string; name: string; role: Role };

export const findActorBySessionToken = async (token: string | undefined): Promise<Actor | null> => {
  if (!token) return null;
  const user = await findSessionUser(token);
  if (!user) return null;
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role };
};

export const findActorByApiToken = async (token: string): Promise<Actor | null> => {
  const row = await findActiveApiToken(token);
  if (!row) return null;
  // At most one write a minute per token: CI polling must not turn every read into a write.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
    await recordApiTokenUse(row.id).catch(() => undefined);
  return { kind: "token", tokenId: row.id, name: row.name, role: row.role };
};

const readCookie = (header: string | null, name: string) =>
  header
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([key]) => key === name)?.[1];

export const findActorForRequest = async (request: Request): Promise<Actor | null> => {
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) return findActorByApiToken(authorization.slice(7).trim());
  return findActorBySessionToken(readCookie(request.headers.get("cookie"), SESSION_COOKIE));
};
