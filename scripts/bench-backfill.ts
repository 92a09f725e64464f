// `npm run bench:backfill` (issue 15): a backfill of 30 commits × 4 variants is queued on one
// worker with one build slot; once its first build runs, a person starts one build. Prints the
// person's wait against the backfill build it waited for (the one slot), measured in the same
// run, and how many backfill builds started between the person's click and their build's start
// (0 when the person's build takes the next free slot). On a private embedded Postgres, a local
// scripted repository (no network), the local engine.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startPrivatePostgres } from "@/lib/database/private-postgres";
import { getLauncherEnv } from "@/lib/env";

const execFileP = promisify(execFile);
const COMMITS = 30;
const VARIANTS = 4;
const { LAYERBOARD_BASE_IMAGE: baseImage } = getLauncherEnv();

const postgres = await startPrivatePostgres();
process.env.DATABASE_URL = postgres.url;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "lb-bench-backfill-"));
const { db } = await import("@/lib/db");
const { stopQueue } = await import("@/lib/builds/queue");
const { startWorker } = await import("@/lib/builds/worker");
const { startBuild } = await import("@/lib/builds/start-build");
const { startBackfill, changeBackfill } = await import("@/lib/builds/start-backfill");
const { createGitProject, writeScriptedRepo } = await import("@/lib/harness/scripted-repo");

const id = randomBytes(4).toString("hex");
const log = (message: string) => console.log(`[bench:backfill] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async <T>(what: string, check: () => Promise<T | null | undefined>, timeoutMs = 600_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
try {
  log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
  // The scripted ten commits and twenty more: thirty on main.
  const repo = writeScriptedRepo(path.join(root, "repo"), baseImage, { extraCommits: COMMITS - 10 });
  const variants = Array.from({ length: VARIANTS }, (_, i) => ({ name: `v${i + 1}`, buildArgs: { FLAVOR: `bench-${id}-${i + 1}` } }));
  const project = await createGitProject(db, `lb-h15-backfill-bench-${id}`, repo.url, variants);
  worker = await startWorker({ concurrency: 1 });
  const backfill = await startBackfill(project.id, { count: COMMITS, branch: "main" }, null);
  log(`backfill ${backfill.id}: ${COMMITS} commits × ${VARIANTS} variants on one build slot`);

  // The moment the slot is taken by backfill work and more backfill builds wait in the queue, a person clicks "Build".
  const slot = await waitFor("a backfill build running and another queued", async () =>
    (await db.build.count({ where: { projectId: project.id, status: "QUEUED" } })) ? db.build.findFirst({ where: { projectId: project.id, status: "RUNNING" } }) : null,
  );
  const queuedBackfill = await db.build.count({ where: { projectId: project.id, status: "QUEUED" } });
  const person = await startBuild(project.variants[0].id);
  const clickedAt = Date.now();
  const started = await waitFor("the person's build to start", () => db.build.findFirst({ where: { id: person.id, startedAt: { not: null } } }));
  const waitMs = started.startedAt!.getTime() - clickedAt;
  const slotBuild = await waitFor("the slot's build to finish", () => db.build.findFirst({ where: { id: slot.id, finishedAt: { not: null } } }));
  const slotMs = slotBuild.durationMs ?? 0;
  const remainingMs = slotBuild.finishedAt!.getTime() - clickedAt;
  const overtaken = await db.build.count({ where: { projectId: project.id, id: { notIn: [slot.id, person.id] }, startedAt: { gte: new Date(clickedAt), lte: started.startedAt! } } });
  await waitFor("the person's build to finish", () => db.build.findFirst({ where: { id: person.id, finishedAt: { not: null } } }));
  const personBuild = await db.build.findUniqueOrThrow({ where: { id: person.id } });

  log(`backfill builds queued ahead when the person clicked: ${queuedBackfill} (priority −10; the rest of the ${COMMITS * VARIANTS} wait in Postgres, not in the queue)`);
  log(`person's build waited ${(waitMs / 1000).toFixed(1)} s; the backfill build in the slot had ${(remainingMs / 1000).toFixed(1)} s left of its ${(slotMs / 1000).toFixed(1)} s`);
  log(`wait / remaining slot time: ${(waitMs / Math.max(1, remainingMs)).toFixed(2)} · wait / one full slot: ${(waitMs / Math.max(1, slotMs)).toFixed(2)} · backfill builds that started first: ${overtaken}`);
  log(`person's build: ${personBuild.status} in ${((personBuild.durationMs ?? 0) / 1000).toFixed(1)} s`);
  log(overtaken === 0 && waitMs <= slotMs + 5_000 ? "OK: the person's build started within one build slot" : "NOT OK: the person's build waited for more than one build slot");
  await changeBackfill(backfill.id, { action: "cancel" });
  await waitFor("the cancelled backfill's builds to settle", async () => ((await db.build.count({ where: { projectId: project.id, status: { in: ["QUEUED", "RUNNING"] } } })) === 0 ? true : null), 300_000);
  if (overtaken !== 0) process.exitCode = 1;
} finally {
  await worker?.stop({ graceMs: 10_000 }).catch(() => undefined);
  const tags = (await db.build.findMany({ where: { project: { slug: `lb-h15-backfill-bench-${id}` } }, select: { imageTag: true } }).catch(() => [])).flatMap((b) => (b.imageTag ? [b.imageTag] : []));
  for (const tag of tags) await execFileP("docker", ["rmi", "-f", tag]).catch(() => undefined);
  await stopQueue().catch(() => undefined);
  await db.$disconnect().catch(() => undefined);
  await postgres.remove().catch(() => undefined);
  fs.rmSync(root, { recursive: true, force: true });
}
process.exit();
