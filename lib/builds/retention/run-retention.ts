// The retention job: plans what goes (images beyond the last K builds per variant, logs older
// than D days, uploaded archives no project uses) and, unless it is a dry run, removes exactly
// that. Build records always stay; they say "image removed" / "log removed after D days".
import "server-only";
import type Docker from "dockerode";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { getDocker } from "@/lib/docker/client";
import { getEngineImageUse, removeImage } from "@/lib/docker/remove-image";
import {
  deleteBuildLog,
  deleteUnusedContextArchives,
  findBaselineBuildIds,
  findBuildsWithImages,
  findExpiredLogs,
  findProjectRetentions,
  findSharedBuildIds,
  findUnusedContextArchives,
  recordImagesRemoved,
  type ExpiredLog,
  type UnusedArchive,
} from "@/lib/data/retention";
import { planImageRetention, type KeepReason } from "@/lib/builds/retention/plan-images";

const DAY_MS = 24 * 60 * 60 * 1000;
/** An archive younger than this is never unused: the upload is attached to its project a moment later. */
export const ARCHIVE_GRACE_MS = DAY_MS;

export type RetentionImage = { buildId: string; project: string; refs: string[]; imageIds: string[]; sizeBytes: number | null };
export type RetentionOutcome = { buildId: string; ref: string; result: "removed" | "missing" | "conflict" | "error"; message?: string };

export type RetentionReport = {
  dryRun: boolean;
  engine: string;
  at: string;
  defaults: { retainBuilds: number; retainLogDays: number };
  /** Images that go (removed from the engine, the build marked "image removed"). */
  images: RetentionImage[];
  /** Builds whose image is no longer on the engine: only marked. */
  imagesGone: string[];
  /** Builds that keep their image only because something else holds it, with why (the routine "recent" ones are counted). */
  imagesKept: Array<{ buildId: string; reason: KeepReason }>;
  keptRecentCount: number;
  logs: ExpiredLog[];
  archives: UnusedArchive[];
  /** Filled in by a real run. */
  outcomes: RetentionOutcome[];
  logLinesDeleted: number;
  archivesDeleted: number;
};

/** The engine a worker or the web process talks to, named the way Worker.dockerHost is. */
export const engineName = (dockerHost: string | undefined = getEnv().DOCKER_HOST) => dockerHost ?? "unix:///var/run/docker.sock";

export type RunRetentionOptions = { dryRun: boolean; docker?: Docker; dockerHost?: string; now?: Date; actor?: string };

export const runRetention = async (options: RunRetentionOptions): Promise<RetentionReport> => {
  const env = getEnv();
  const docker = options.docker ?? getDocker();
  const engine = engineName(options.dockerHost);
  const now = options.now ?? new Date();
  const [projects, builds, shared, baselines, use] = await Promise.all([
    findProjectRetentions(),
    findBuildsWithImages(),
    findSharedBuildIds(now),
    findBaselineBuildIds(),
    getEngineImageUse(docker),
  ]);
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const keepPerVariant = (projectId: string) => projectById.get(projectId)?.retainBuilds ?? env.LAYERBOARD_RETAIN_BUILDS;
  const plan = planImageRetention({
    builds: builds.map((b) => ({
      id: b.id,
      projectId: b.projectId,
      variantId: b.variantId,
      finished: b.finished,
      queuedAt: b.queuedAt,
      imageId: b.imageId,
      buildImageId: b.buildImageId,
      imageTag: b.imageTag,
      pinned: !!b.pinnedAt,
      imageRemoved: !!b.imageRemovedAt,
      onThisEngine: b.dockerHost === null || b.dockerHost === engine,
    })),
    keepPerVariant,
    sharedBuildIds: shared,
    baselineBuildIds: baselines,
    engine: use,
  });
  const buildById = new Map(builds.map((b) => [b.id, b]));
  const logs = await findExpiredLogs(
    projects.map((p) => {
      const days = p.retainLogDays ?? env.LAYERBOARD_RETAIN_LOG_DAYS;
      return { projectId: p.id, days, before: new Date(now.getTime() - days * DAY_MS) };
    }),
  );
  const archives = await findUnusedContextArchives(new Date(now.getTime() - ARCHIVE_GRACE_MS));
  const report: RetentionReport = {
    dryRun: options.dryRun,
    engine,
    at: now.toISOString(),
    defaults: { retainBuilds: env.LAYERBOARD_RETAIN_BUILDS, retainLogDays: env.LAYERBOARD_RETAIN_LOG_DAYS },
    images: plan.remove.map((r) => ({
      buildId: r.buildId,
      project: projectById.get(r.projectId)?.slug ?? r.projectId,
      refs: r.refs,
      imageIds: r.imageIds,
      sizeBytes: buildById.get(r.buildId)?.totalSize ?? null,
    })),
    imagesGone: plan.gone,
    imagesKept: plan.kept.filter((k) => k.reason !== "recent"),
    keptRecentCount: plan.kept.filter((k) => k.reason === "recent").length,
    logs,
    archives,
    outcomes: [],
    logLinesDeleted: 0,
    archivesDeleted: 0,
  };
  if (options.dryRun) return report;

  const who = options.actor ?? "the retention schedule";
  const removedBuilds: string[] = [...plan.gone];
  for (const image of plan.remove) {
    let complete = true;
    for (const ref of image.refs) {
      const outcome = await removeImage(ref, docker).then(
        (o) => ({ buildId: image.buildId, ref, result: o.kind, ...(o.kind === "conflict" ? { message: o.message } : {}) }) as RetentionOutcome,
        (error: unknown) => ({ buildId: image.buildId, ref, result: "error", message: (error as Error).message }) as RetentionOutcome,
      );
      report.outcomes.push(outcome);
      if (outcome.result === "conflict" || outcome.result === "error") complete = false;
    }
    if (complete) removedBuilds.push(image.buildId);
  }
  await recordImagesRemoved(removedBuilds, now);
  for (const log of logs) report.logLinesDeleted += await deleteBuildLog(log.buildId, log.days, now);
  report.archivesDeleted = await deleteUnusedContextArchives(archives.map((a) => a.id));
  // The audit line: what went, on whose word.
  getLogger().info(
    `[retention] ${who} on ${engine}: ${removedBuilds.length} build image(s) removed or gone ` +
      `(${report.outcomes.filter((o) => o.result === "removed").length} reference(s) removed, ` +
      `${report.outcomes.filter((o) => o.result === "conflict" || o.result === "error").length} refused), ` +
      `${report.logLinesDeleted} log line(s) of ${logs.length} build(s) deleted, ${report.archivesDeleted} unused archive(s) deleted; ` +
      `builds: ${removedBuilds.join(",") || "none"}`,
  );
  return report;
};
