// Build workers: each registers at start, heartbeats, and marks itself stopped, so the
// orphan check can tell a build whose worker is gone from one still being worked on.
import "server-only";
import { db } from "@/lib/db";

export type WorkerRecord = { id: string; hostname: string; pid: number; dockerHost: string; heartbeatAt: Date; stoppedAt: Date | null };

export const createWorker = async (input: { id: string; hostname: string; pid: number; dockerHost: string }): Promise<void> => {
  await db.worker.create({ data: input });
};

export const recordWorkerHeartbeat = async (id: string, at = new Date()): Promise<void> => {
  await db.worker.update({ where: { id }, data: { heartbeatAt: at } });
};

export const recordWorkerStopped = async (id: string, at = new Date()): Promise<void> => {
  await db.worker.update({ where: { id }, data: { stoppedAt: at } });
};

export const findWorkers = (ids: string[]): Promise<WorkerRecord[]> =>
  db.worker.findMany({
    where: { id: { in: ids } },
    select: { id: true, hostname: true, pid: true, dockerHost: true, heartbeatAt: true, stoppedAt: true },
  });
