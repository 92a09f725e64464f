// Who is making a request: a signed-in user (session cookie) or an API token (Bearer).
import "server-only";
import { findSessionUser } from "@/lib/data/users";
import { findActiveApiToken, recordApiTokenUse } from "@/lib/data/api-tokens";
import type { Role } from "@/lib/auth/roles";

export const SESSION_COOKIE = "lb_session";

export type Actor = { kind: "user"; userId: string; email: string; name: string; role: Role } | { kind: "token"; tokenId: string; name: string; role: Role };

// A burst of requests with the same credential (1,000 stream requests at once with one token)
// shares one lookup while it runs instead of taking the whole database pool; nothing is kept
// after it answers, so a revoked token or a deleted session is refused by the next request.
const inflight = ((globalThis as { __layerboardActorLookups?: Map<string, Promise<Actor | null>> }).__layerboardActorLookups ??= new Map());
const shareLookup = (key: string, lookup: () => Promise<Actor | null>): Promise<Actor | null> => {
  const running = inflight.get(key);
  if (running) return running;
  const promise = lookup().finally(() => inflight.delete(key));
  inflight.set(key, promise);
  return promise;
};

export const findActorBySessionToken = async (token: string | undefined): Promise<Actor | null> => {
  if (!token) return null;
  return shareLookup(`session:${token}`, async () => {
    const user = await findSessionUser(token);
    if (!user) return null;
    return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role };
  });
};

export const findActorByApiToken = async (token: string): Promise<Actor | null> =>
  shareLookup(`token:${token}`, async () => {
    const row = await findActiveApiToken(token);
    if (!row) return null;
    // At most one write a minute per token: CI polling must not turn every read into a write.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
      await recordApiTokenUse(row.id).catch(() => undefined);
    return { kind: "token", tokenId: row.id, name: row.name, role: row.role };
  });

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

/** The session cookie's token of a request (null for Bearer callers and anonymous ones). */
export const readSessionToken = (request: Request): string | null =>
  request.headers.get("authorization")?.startsWith("Bearer ") ? null : (readCookie(request.headers.get("cookie"), SESSION_COOKIE) ?? null);
