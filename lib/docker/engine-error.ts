// Classifies what dockerode (docker-modem) throws, once for every engine call: the engine does not
// answer, it answered with an HTTP error (and its own message), or something else went wrong.
import "server-only";
import { AppError, type AppErrorCode } from "@/lib/errors";

// Socket-level failures. ENOENT: no socket file at the path; EACCES: no permission on it;
// ECONNRESET/EPIPE: the engine went away mid-request (a daemon killed mid-build).
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ENOTFOUND"]);

export type EngineFailure =
  /** `reason` in words, with the system's message: "connection refused (connect ECONNREFUSED …)". */
  | { kind: "unreachable"; reason: string }
  /** `message` is the engine's own, without docker-modem's "(HTTP code 404) no such image - " prefix. */
  | { kind: "http"; status: number; message: string }
  | { kind: "other"; message: string };

type ModemError = { code?: unknown; statusCode?: unknown; json?: unknown; message?: unknown };

const textOf = (error: unknown): string => {
  const message = (error as ModemError | null)?.message;
  return (typeof message === "string" ? message : String(error)).trim();
};

/**
 * The engine's message. docker-modem puts the parsed body in `json` for buffered requests; for
 * streamed ones (build, logs, export) the body's message is only in the text:
 * "(HTTP code 400) bad parameter - dockerfile parse error line 2: …".
 */
export const engineMessage = (error: unknown): string => {
  const body = (error as ModemError | null)?.json as { message?: unknown } | null | undefined;
  if (typeof body?.message === "string" && body.message.trim()) return body.message.trim();
  return textOf(error).replace(/^\(HTTP code \d+\) [^-]*- /, "").trim();
};

const describeUnreachable = (code: string, message: string): string => {
  if (code === "ENOENT") return `no engine socket (${message})`;
  if (code === "ECONNREFUSED") return `connection refused (${message})`;
  if (code === "EACCES") return `no permission to use the engine socket (${message})`;
  return message;
};

export const classifyEngineError = (error: unknown): EngineFailure => {
  const { code, statusCode } = (error ?? {}) as ModemError;
  if (typeof statusCode === "number") return { kind: "http", status: statusCode, message: engineMessage(error) };
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return { kind: "unreachable", reason: describeUnreachable(code, textOf(error)) };
  return { kind: "other", message: textOf(error) };
};

export const isEngineUnreachable = (error: unknown): boolean => classifyEngineError(error).kind === "unreachable";

/** The engine answered 404: no such image, container or path. */
export const isEngineNotFound = (error: unknown): boolean => {
  const failure = classifyEngineError(error);
  return failure.kind === "http" && failure.status === 404;
};

export const engineUnavailable = (reason: string): AppError => new AppError("ENGINE_UNAVAILABLE", `engine unreachable: ${reason}`);

/**
 * One AppError for a failed engine call on `what` ("image sha256:…"): ENGINE_UNAVAILABLE when the
 * engine does not answer, `notFound` (NOT_FOUND) for a 404, `otherwise` (INTERNAL) for the rest,
 * each with the engine's message. AppErrors pass through unchanged.
 */
export const toEngineAppError = (
  error: unknown,
  what: string,
  codes: { notFound?: AppErrorCode; otherwise?: AppErrorCode } = {},
): AppError => {
  if (error instanceof AppError) return error;
  const failure = classifyEngineError(error);
  if (failure.kind === "unreachable") return engineUnavailable(failure.reason);
  const code = failure.kind === "http" && failure.status === 404 ? (codes.notFound ?? "NOT_FOUND") : (codes.otherwise ?? "INTERNAL");
  return new AppError(code, `${what}: ${failure.message}`);
};
