// Issue 16's live paths on real Postgres: a log write notifies that build's listeners (and only
// theirs) at commit, a listener that left hears nothing more, and a queued build is announced on
// pg-boss's notify channel so an idle worker need not wait for its poll.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { onBuildLogWritten } from "@/lib/data/build-notify";
import { writeLogBatch } from "@/lib/data/build-logs";
import { enqueueBuildJob, getQueue } from "@/lib/builds/queue";
import { createDirectoryProject, usePipelineRun, waitFor, writeContext } from "../support/pipeline";

const run = usePipelineRun();
const { root, id } = run;

const newBuild = async (slug: string) => {
  const project = await createDirectoryProject(slug, writeContext(root, slug, { Dockerfile: "FROM scratch\n" }), [{ name: "v" }]);
  const now = new Date();
  return db.build.create({ data: { projectId: project.id, variantId: project.variants[0].id, status: "RUNNING", queuedAt: now, startedAt: now } });
};

const writeLine = (buildId: string, seq: number) =>
  writeLogBatch(buildId, { lines: [{ seq, stream: "stdout", text: `line-${seq}`, at: new Date() }], steps: [], allSteps: [], logBytes: 7 * seq, logTruncated: false });

afterAll(async () => {
  await db.build.deleteMany({ where: { project: { slug: { startsWith: `notify-${id}` } } } });
});

describe("LISTEN/NOTIFY", () => {
  it("wakes the listeners of the build whose lines were written, and no others", async () => {
    const [watched, other] = [await newBuild(`notify-${id}-a`), await newBuild(`notify-${id}-b`)];
    let heard = 0;
    let heardOther = 0;
    const stop = onBuildLogWritten(watched.id, () => (heard += 1));
    const stopOther = onBuildLogWritten(other.id, () => (heardOther += 1));
    // The listening connection opens on first use: a write before it listens would be missed (the poll covers that).
    await waitFor("the listener to be up", async () => {
      await writeLine(watched.id, heard + 1);
      return heard > 0;
    }, 30_000, 200);
    const before = heard;
    await writeLine(watched.id, before + 100);
    await waitFor("the second notification", () => heard > before, 10_000, 20);
    expect(heardOther).toBe(0);
    stop();
    const afterStop = heard;
    await writeLine(other.id, 1);
    await waitFor("the other build's notification", () => heardOther === 1, 10_000, 20);
    expect(heard).toBe(afterStop);
    stopOther();
    expect((await db.logLine.count({ where: { buildId: watched.id } })) > 1).toBe(true);
  }, 60_000);

  it("keeps a new listener of a build when an old one of the same build unsubscribes late", async () => {
    const build = await newBuild(`notify-${id}-c`);
    const keepOpen = onBuildLogWritten("none", () => undefined);
    const stopOld = onBuildLogWritten(build.id, () => undefined);
    stopOld();
    let heard = 0;
    const stopNew = onBuildLogWritten(build.id, () => (heard += 1));
    // A feed closes lazily: its unsubscribe may run again after a new feed of the build started.
    stopOld();
    await waitFor("the new listener's notification", async () => {
      await writeLine(build.id, heard + 1 + Math.floor(Math.random() * 1000) * 10);
      return heard > 0;
    }, 30_000, 200);
    expect(heard).toBeGreaterThan(0);
    stopNew();
    keepOpen();
  }, 60_000);

  it("announces a queued build on pg-boss's notify channel, at once", async () => {
    await getQueue();
    const client = new pg.Client({ connectionString: getEnv().DATABASE_URL });
    await client.connect();
    try {
      const queue = await client.query<{ notify: boolean }>("SELECT notify FROM pgboss.queue WHERE name = 'layerboard-builds'");
      expect(queue.rows).toEqual([{ notify: true }]);
      // pg-boss's channel: an expression of its schema name (plans.notifyChannelSql).
      const { channel } = (await client.query<{ channel: string }>("SELECT 'pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24) AS channel")).rows[0];
      const heard: string[] = [];
      client.on("notification", (message) => message.channel === channel && heard.push(message.payload ?? ""));
      await client.query(`LISTEN ${channel}`);
      // Cancelled: a worker that takes the job finds nothing to claim.
      const build = await newBuild(`notify-${id}-q`);
      await db.build.update({ where: { id: build.id }, data: { status: "CANCELLED", finishedAt: new Date() } });
      await enqueueBuildJob(build.id);
      await waitFor("the queue's notification", () => heard.includes("layerboard-builds"), 10_000, 20);
      expect(heard).toContain("layerboard-builds");
    } finally {
      await client.end();
    }
  });
});
