// Builds whose worker is gone never stay "running": they become interrupted, either at a
// worker's start-up (same host, dead pid) or when their heartbeat is too old.
import "server-only";
import os from "node:os";
import { findRunningBuilds, interruptBuild } from "@/lib/data/build-status";
import { findWorkers } from "@/lib/data/workers";

const isProcessAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export const interruptOrphanedBuilds = async (heartbeatTimeoutS: number): Promise<number> => {
  const running = await findRunningBuilds();
  if (!running.length) return 0;
  const workers = await findWorkers(running.flatMap((b) => (b.workerId ? [b.workerId] : [])));
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
    if (await interruptBuild(build.id, build.workerId, `interrupted: ${reason}`)) count += 1;
  }
  return count;
};
