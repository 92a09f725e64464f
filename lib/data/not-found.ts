// The one NOT_FOUND → null helper: turns a getX (throws AppError NOT_FOUND when missing)
// into a findX (null when missing) for a caller that shows its own "not found".
import "server-only";
import { isAppError } from "@/lib/errors";

/** True for AppError NOT_FOUND and for Prisma's "record to update/delete not found" (P2025). */
export const isNotFound = (error: unknown): boolean =>
  (isAppError(error) && error.code === "NOT_FOUND") ||
  (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025");

/** `await nullIfNotFound(getBuild(id))`: the build, or null when there is none; other errors still throw. */
export const nullIfNotFound = async <T>(pending: Promise<T>): Promise<T | null> => {
  try {
    return await pending;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
};
