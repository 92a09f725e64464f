// The one error model: lib code throws AppError with a code; toErrorInfo maps anything thrown to
// a code, a message in words and an HTTP status, for route handlers and server actions alike.
// Client-safe (no server imports): forms read FieldErrors and codes from here too.
import { ZodError } from "zod";

// Every code an error can carry, and every code stored in Build.errorCode (the pipeline stores
// the code of the AppError a build failed with, or one of the build-state codes at the end).
export const APP_ERROR_CODES = [
  "VALIDATION",
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "CONFLICT",
  "CONTEXT_REFUSED",
  "ENGINE_UNAVAILABLE",
  "DATABASE_UNAVAILABLE",
  "QUEUE_UNAVAILABLE",
  "BUILD_FAILED",
  "BUILD_CANCELLED",
  "SESSION_REQUIRED",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  // Registries (issue 17): a push or a base-image pull; a failed push never fails the build.
  "REGISTRY_UNREACHABLE",
  "REGISTRY_AUTH_FAILED",
  "REGISTRY_FAILED",
  // Build.errorCode of a build cancelled by a user, and of one whose worker stopped or died.
  "CANCELLED",
  "INTERRUPTED",
  "INTERNAL",
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];
/** What Build.errorCode may hold: any AppErrorCode (a String column, typed here). */
export type StoredErrorCode = AppErrorCode;

export const isAppErrorCode = (value: unknown): value is AppErrorCode => APP_ERROR_CODES.includes(value as AppErrorCode);

const statusByCode: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  CONTEXT_REFUSED: 400,
  ENGINE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  QUEUE_UNAVAILABLE: 503,
  BUILD_FAILED: 422,
  BUILD_CANCELLED: 409,
  SESSION_REQUIRED: 422,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  REGISTRY_UNREACHABLE: 502,
  REGISTRY_AUTH_FAILED: 502,
  REGISTRY_FAILED: 502,
  CANCELLED: 409,
  INTERRUPTED: 503,
  INTERNAL: 500,
};

export const statusOfCode = (code: AppErrorCode): number => statusByCode[code];

/** One message per form field, keyed by the field's name ("form" for the whole input). */
export type FieldErrors = Record<string, string>;

/** A zod issue, or any issue-shaped value: the path to the bad value and what is wrong with it. */
type RawIssue = { path: readonly PropertyKey[]; message: string };

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** For VALIDATION-like errors: the issues (zod's, or built by fieldsError) behind the message. */
  readonly details?: unknown;

  constructor(code: AppErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** An error whose message sums up and whose issues say what is wrong with each form field. */
export const fieldsError = (message: string, fields: FieldErrors | readonly RawIssue[], code: AppErrorCode = "VALIDATION"): AppError =>
  new AppError(code, message, Array.isArray(fields) ? fields : Object.entries(fields).map(([field, text]) => ({ path: [field], message: text })));

const isRawIssue = (value: unknown): value is RawIssue =>
  typeof value === "object" && value !== null && Array.isArray((value as RawIssue).path) && typeof (value as RawIssue).message === "string";

const issuesOf = (details: unknown): RawIssue[] | null => (Array.isArray(details) && details.length > 0 && details.every(isRawIssue) ? details : null);

const pathText = (path: readonly PropertyKey[]) => path.map(String).join(".");

/**
 * The first message per form field. A nested path belongs to its top-level field; a record key
 * stays in the message (buildArgs.KEY → "KEY: …"), a list index does not (systemPackages.1).
 */
export const toFieldErrors = (issues: readonly RawIssue[]): FieldErrors => {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const [top, next] = issue.path;
    const field = top === undefined ? "form" : String(top);
    fields[field] ??= typeof next === "string" ? `${pathText(issue.path.slice(1))}: ${issue.message}` : issue.message;
  }
  return fields;
};

export type ErrorIssue = { path: string; message: string };

export type ErrorInfo = {
  code: AppErrorCode;
  /** In words, naming the field(s) when the input was wrong. */
  message: string;
  status: number;
  /** Every validation issue, with its dotted path ("" for the input as a whole). */
  issues?: ErrorIssue[];
  /** The same issues per form field, for forms to show next to each field. */
  fields?: FieldErrors;
};

const withIssues = (info: Omit<ErrorInfo, "issues" | "fields">, issues: readonly RawIssue[] | null): ErrorInfo =>
  issues
    ? { ...info, issues: issues.map((issue) => ({ path: pathText(issue.path), message: issue.message })), fields: toFieldErrors(issues) }
    : info;

// "name: too short; slug: lowercase letters only": every issue, each with its field.
const describeIssues = (issues: readonly RawIssue[]) =>
  issues.map((issue) => (issue.path.length ? `${pathText(issue.path)}: ${issue.message}` : issue.message)).join("; ") || "invalid input";

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "EPIPE"]);
// Prisma: P1001 can't reach the server, P1002 timed out, P1008 socket timeout, P1017 server closed
// the connection. Postgres: 57P01-57P03 administrator/crash shutdown, cannot connect now; 25P03
// idle-in-transaction timeout. A statement cancelled by statement_timeout (57014 with that
// message) and node-postgres's own connect and query timeouts also count: the database did
// not answer in time (lib/env.ts LAYERBOARD_DB_*_TIMEOUT_MS).
const DATABASE_DOWN_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "57P01", "57P02", "57P03", "25P03"]);
const DATABASE_DOWN_MESSAGE =
  /ECONNREFUSED|Can't reach database|Connection terminated|closed the connection|connection refused|timeout exceeded when trying to connect|Query read timeout|canceling statement due to statement timeout|idle-in-transaction timeout/i;

/** Whether an error (or its cause) says the database (or the queue's connection to it) is not answering. */
export const isDatabaseUnavailable = (error: unknown, depth = 0): boolean => {
  if (typeof error !== "object" || error === null || depth > 3) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && (DATABASE_DOWN_CODES.has(code) || NETWORK_CODES.has(code))) return true;
  if (typeof message === "string" && DATABASE_DOWN_MESSAGE.test(message)) return true;
  return isDatabaseUnavailable(cause, depth + 1);
};

/**
 * Maps anything thrown to one ErrorInfo: zod errors (every issue, in words, per field), AppError
 * (its code and message), Prisma P2025 → NOT_FOUND and P2002 → CONFLICT, a database that does not
 * answer → DATABASE_UNAVAILABLE; anything else is INTERNAL and logged, its message kept out of
 * the answer. `scope` labels the log line.
 */
export const toErrorInfo = (error: unknown, scope = "app"): ErrorInfo => {
  if (error instanceof ZodError) {
    return withIssues({ code: "VALIDATION", message: describeIssues(error.issues), status: 400 }, error.issues);
  }
  if (isAppError(error)) return withIssues({ code: error.code, message: error.message, status: error.status }, issuesOf(error.details));
  const prismaCode = (error as { code?: unknown } | null)?.code;
  if (prismaCode === "P2025") return { code: "NOT_FOUND", message: "not found", status: 404 };
  if (prismaCode === "P2002") return { code: "CONFLICT", message: "already exists", status: 409 };
  console.error(`[${scope}]`, error);
  if (isDatabaseUnavailable(error)) return { code: "DATABASE_UNAVAILABLE", message: "the database is unavailable; try again shortly", status: 503 };
  return { code: "INTERNAL", message: "something went wrong; see the server log", status: 500 };
};
