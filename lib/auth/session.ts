// The signed-in user of a page or server action, from the session cookie.
import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { findActorBySessionToken, SESSION_COOKIE, type Actor } from "@/lib/auth/actor";
import { hasRole, type Role } from "@/lib/auth/roles";
import { getEnv, trustsProxy } from "@/lib/env";
import { assertActionSameOrigin } from "@/lib/actions/same-origin";
import { isTlsRequest } from "@/lib/security/headers";

export const getCurrentActor = async (): Promise<Actor | null> => findActorBySessionToken((await cookies()).get(SESSION_COOKIE)?.value);

// For pages: sends anonymous visitors to the sign-in page.
export const requirePageActor = async (role: Role = "VIEWER"): Promise<Actor> => {
  const actor = await getCurrentActor();
  if (!actor) redirect("/login");
  if (!hasRole(actor.role, role)) throw new AppError("FORBIDDEN", `this page needs the ${role.toLowerCase()} role`);
  return actor;
};

// For server actions: refuses cross-site requests (also when an action skips runAction), then
// checks the session and the role.
export const requireActionActor = async (role: Role): Promise<Actor> => {
  await assertActionSameOrigin();
  const actor = await getCurrentActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "your session has expired; sign in again");
  if (!hasRole(actor.role, role)) throw new AppError("FORBIDDEN", `this needs the ${role.toLowerCase()} role`);
  return actor;
};

// Secure (sent over HTTPS only) when a trusted proxy says the browser came over TLS
// (X-Forwarded-Proto: https with LAYERBOARD_TRUST_PROXY=true), or always with
// LAYERBOARD_SECURE_COOKIES=true.
const isSecureCookieRequest = async (): Promise<boolean> =>
  getEnv().LAYERBOARD_SECURE_COOKIES === "true" || isTlsRequest(await headers(), trustsProxy());

export const setSessionCookie = async (token: string, expiresAt: Date) => {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isSecureCookieRequest(),
    path: "/",
    expires: expiresAt,
  });
};

export const clearSessionCookie = async () => (await cookies()).delete(SESSION_COOKIE);

// X-Forwarded-For is only believed behind a proxy that overwrites it (LAYERBOARD_TRUST_PROXY).
export const getClientKey = async (): Promise<string | null> => {
  if (!trustsProxy()) return null;
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0].trim() || h.get("x-real-ip") || null;
};
