// Every route handler goes through here: authenticate, check the role, protect
// state-changing cookie requests from cross-site use, and map errors to one JSON shape.
import "server-only";
import { NextResponse } from "next/server";
import { AppError, toErrorInfo } from "@/lib/errors";
import { findActorForRequest, type Actor } from "@/lib/auth/actor";
import { hasRole, type Role } from "@/lib/auth/roles";
import { getEnv, trustsProxy } from "@/lib/env";
import { formatBytes } from "@/lib/format/bytes";
import { crossSiteReason } from "@/lib/security/headers";

type RouteContext<P> = { params: Promise<P> };
type Handler<P, A> = (input: { request: Request; params: P; actor: A }) => Promise<Response | unknown>;

// One JSON error shape for every handler: { error: { code, message, issues? } } with the code's status.
export const errorResponse = (error: unknown): NextResponse => {
  const { code, message, status, issues } = toErrorInfo(error, "api");
  return NextResponse.json({ error: { code, message, ...(issues ? { issues } : {}) } }, { status });
};

const isSafeMethod = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";

// Cookie-authenticated writes must come from our own origin (Bearer tokens are not
// sent by browsers on their own, so they need no such check). Server actions make the same
// check (lib/actions/same-origin.ts).
const assertSameOrigin = (request: Request, actor: Actor) => {
  if (isSafeMethod(request.method) || actor.kind === "token") return;
  const reason = crossSiteReason(request.headers, trustsProxy());
  if (reason) throw new AppError("FORBIDDEN", `cross-site request refused: ${reason}`);
};

export const authorizeRequest = async (request: Request, role: Role): Promise<Actor> => {
  const actor = await findActorForRequest(request);
  if (!actor) throw new AppError("UNAUTHENTICATED", "sign in or send an API token (Authorization: Bearer …)");
  if (!hasRole(actor.role, role)) throw new AppError("FORBIDDEN", `this needs the ${role.toLowerCase()} role`);
  assertSameOrigin(request, actor);
  return actor;
};

const toResponse = (result: unknown, status = 200) => (result instanceof Response ? result : NextResponse.json(result, { status }));

export const apiRoute =
  <P = Record<string, string>>(role: Role, handler: Handler<P, Actor>, options: { status?: number } = {}) =>
  async (request: Request, context: RouteContext<P>) => {
    try {
      const actor = await authorizeRequest(request, role);
      return toResponse(await handler({ request, params: await context.params, actor }), options.status);
    } catch (error) {
      return errorResponse(error);
    }
  };

export const publicRoute =
  <P = Record<string, string>>(handler: Handler<P, null>) =>
  async (request: Request, context: RouteContext<P>) => {
    try {
      return toResponse(await handler({ request, params: await context.params, actor: null }));
    } catch (error) {
      return errorResponse(error);
    }
  };

/**
 * Routes whose caller proves itself with a signature over the body, not a session or an API
 * token: incoming push webhooks (app/api/projects/[id]/push, lib/push/receive-push.ts). A git
 * host is cross-site by nature, so there is no same-origin check either; the handler must verify
 * the signature before it records or queues anything (docs/security.md).
 */
export const signedRoute = publicRoute;

/**
 * Reads the whole body, refusing it (413 PAYLOAD_TOO_LARGE) from its Content-Length before a
 * byte is read, or, when it is chunked or the header lies, as soon as the bytes read pass
 * `limit`: the rest of an oversized (or endless) body is never pulled in.
 */
export const readBodyWithLimit = async (request: Request, limit: number, tooLarge: () => AppError): Promise<Buffer> => {
  const header = request.headers.get("content-length");
  const declared = header === null ? Number.NaN : Number(header);
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel("body too large").catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel("body too large").catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
};

/**
 * The JSON body, at most LAYERBOARD_MAX_JSON_BYTES (413 beyond it, checked before parsing).
 * `empty`: what an empty body stands for, on routes whose body is optional (`curl -X POST`).
 */
export const readJson = async (request: Request, options: { empty?: unknown } = {}): Promise<unknown> => {
  const limit = getEnv().LAYERBOARD_MAX_JSON_BYTES;
  const body = await readBodyWithLimit(
    request,
    limit,
    () => new AppError("PAYLOAD_TOO_LARGE", `body: larger than the ${formatBytes(limit)} limit for JSON bodies (LAYERBOARD_MAX_JSON_BYTES)`),
  );
  const text = body.toString("utf8");
  if ("empty" in options && !text.trim()) return options.empty;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "body: expected a JSON object");
  }
};
