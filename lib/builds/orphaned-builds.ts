// Builds whose worker is gone never stay "running": they become interrupted, either at a
// worker's start-up (same host, dead pid) or when their heartbeat is too old.
import "server-only";
import os from "node:os";
import { db } from "@/lib/db";

const isProcessAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export const interruptOrphanedBuilds = async (heartbeatTimeoutS: number): Promise<number> => {
  const running = await db.build.findMany({
    where: { status: "RUNNING" },
    select: { id: true, workerId: true, heartbeatAt: true, startedAt: true },
  });
  if (!running.length) return 0;
  const workers = await db.worker.findMany({ where: { id: { in: running.map((b) => b.workerId ?? "") } } });
  const byId = new Map(workers.map((w) => [w.id, w]));
  const staleBefore = Date.now() - heartbeatTimeoutS * 1000;
  let count = 0;
  for (const build of running) {
    const worker = build.workerId ? byId.get(build.workerId) : undefined;
    const lastSign = (build.heartbeatAt ?? build.startedAt)?.getTime() ?? 0;
    const reason = !worker
      ? "its worker is unknown"
      : worker.stoppedAt
        ? "its worker stopped"
        : worker.hostname === os.hostname() && !isProcessAlive(worker.pid)
          ? `its worker (pid ${worker.pid} on ${worker.hostname}) is no longer running`
          : lastSign < staleBefore
            ? `no heartbeat from its worker for over ${heartbeatTimeoutS} s`
            : null;
    if (!reason) continue;
    const finishedAt = new Date();
    const updated = await db.build.updateMany({
      where: { id: build.id, status: "RUNNING", workerId: build.workerId },
      data: {
        status: "INTERRUPTED",
        finishedAt,
        durationMs: build.startedAt ? finishedAt.getTime() - build.startedAt.getTime() : null,
        errorCode: "INTERRUPTED",
        error: `interrupted: ${reason}`,
      },
    });
    count += updated.count;
  }
  return count;
};
