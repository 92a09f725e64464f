// Adds what a failed fault test needs to be understood to its error: the build's state, its
// last log lines and the workers' output.
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Runs `fn`; when it throws, adds the build's state, its last log lines and the workers' output to the error. */
export const withDiagnostics = async <T>(
  context: { client: PrismaClient; buildId?: () => string | undefined; workers?: () => Array<{ output: () => string } | undefined> },
  fn: () => Promise<T>,
): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    const buildId = context.buildId?.();
    const build = buildId ? await context.client.build.findUnique({ where: { id: buildId } }).catch(() => null) : null;
    const lines = buildId
      ? await context.client.logLine.findMany({ where: { buildId }, orderBy: { seq: "desc" }, take: 15 }).catch(() => [])
      : [];
    const outputs = (context.workers?.() ?? []).map((worker, i) => `--- worker ${i} ---\n${worker?.output().slice(-3000) ?? ""}`);
    const detail = [
      build ? `build ${build.id}: ${build.status} ${build.errorCode ?? ""} ${build.error ?? ""} worker=${build.workerId}` : "",
      ...lines.reverse().map((line) => `  ${line.seq}: ${line.text}`),
      ...outputs,
    ].join("\n");
    if (error instanceof Error) error.message += `\n${detail}`;
    throw error;
  }
};
