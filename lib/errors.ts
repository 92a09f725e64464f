// One error type for lib code; route handlers and actions map its code to a status.
export type AppErrorCode =
  | "VALIDATION"
  | "NOT_FOUND"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "CONFLICT"
  | "CONTEXT_REFUSED"
  | "ENGINE_UNAVAILABLE"
  | "BUILD_FAILED"
  | "BUILD_CANCELLED"
  | "SESSION_REQUIRED"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "INTERNAL";

const statusByCode: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  CONTEXT_REFUSED: 400,
  ENGINE_UNAVAILABLE: 503,
  BUILD_FAILED: 422,
  BUILD_CANCELLED: 409,
  SESSION_REQUIRED: 422,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
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
