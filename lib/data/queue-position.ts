// Where a queued build stands in the build queue (issue 13): 1 + the queued builds ahead of
// it. Every build waits on the one build queue (lib/builds/queue.ts BUILD_QUEUE) and workers
// take jobs oldest first, so "ahead" is "queued earlier" (ties broken by id, like a total order).
import "server-only";
import { db } from "@/lib/db";

/** null when the build is not queued (or does not exist). */
export const findQueuePosition = async (buildId: string): Promise<number | null> => {
  const build = await db.build.findUnique({ where: { id: buildId }, select: { status: true, queuedAt: true } });
  if (!build || build.status !== "QUEUED") return null;
  const ahead = await db.build.count({
    where: {
      status: "QUEUED",
      OR: [{ queuedAt: { lt: build.queuedAt } }, { queuedAt: build.queuedAt, id: { lt: buildId } }],
    },
  });
  return ahead + 1;
};
