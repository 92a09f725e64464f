// What a worker does for backfills (issue 15), every BACKFILL_TICK_MS: plan new backfills
// (list the branch's first-parent commits from a clone, write an item per commit × variant),
// carry finished builds over to their items, and queue the next items, oldest commit first,
// only a few ahead and below a person's builds (BACKFILL_BUILD_PRIORITY). Every step is a
// conditional write in Postgres, so several workers can run it and a restart resumes it.
import "server-only";
import { isAppError } from "@/lib/errors";
import {
  claimNextBackfillItem,
  countBackfillItemsBuilding,
  findBackfillCommitComparison,
  findBackfillsToPlan,
  findBuildsAtCommit,
  findRunningBackfillIds,
  finishBackfillIfDone,
  moveBackfill,
  recordBackfillItem,
  recordBackfillPlan,
  syncBackfillItems,
} from "@/lib/data/backfills";
import { saveCommits } from "@/lib/data/commits";
import { createComparison } from "@/lib/data/comparisons";
import { getVariantRecord } from "@/lib/data/projects";
import { listFirstParentCommits } from "@/lib/builds/context/git-commits";
import { DEFAULT_GIT_TIMEOUT_MS } from "@/lib/builds/context/open-context";
import { BACKFILL_BUILD_PRIORITY } from "@/lib/builds/queue";
import { startBuild } from "@/lib/builds/start-build";
import { hashBuildSettings } from "@/lib/builds/settings-hash";
import { BACKFILL_MIN_AHEAD, BACKFILL_TICK_MS } from "@/lib/builds/backfill-limits";
import { getLogger } from "@/lib/log";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Planned = Awaited<ReturnType<typeof findBackfillsToPlan>>[number];

export const planBackfill = async (backfill: Planned): Promise<void> => {
  const { project } = backfill;
  try {
    if (project.contextKind !== "GIT" || !project.gitUrl) throw new Error("only a git project can be backfilled");
    if (!project.variants.length) throw new Error(`project ${project.name} has no variants to build`);
    const commits = await listFirstParentCommits(project.gitUrl, backfill.branch, backfill.count, { timeoutMs: DEFAULT_GIT_TIMEOUT_MS });
    if (!commits.length) throw new Error(`branch ${backfill.branch} has no commits`);
    await saveCommits(project.id, commits);
    const oldestFirst = [...commits].reverse();
    const items = oldestFirst.flatMap((commit, position) => project.variants.map((variant) => ({ position, sha: commit.sha, variantId: variant.id })));
    await recordBackfillPlan(backfill.id, items);
  } catch (error) {
    await moveBackfill(backfill.id, "FAILED", { error: messageOf(error).slice(0, 2000) });
  }
};

type Item = NonNullable<Awaited<ReturnType<typeof claimNextBackfillItem>>>;

/** Skips the item when the variant was built at this commit with the same settings; else queues its build. */
const startItem = async (item: Item): Promise<"queued" | "skipped" | "failed"> => {
  try {
    const variant = await getVariantRecord(item.variantId);
    const wanted = hashBuildSettings(variant as unknown as Record<string, unknown>);
    const earlier = (await findBuildsAtCommit(item.variantId, item.sha)).find(
      (build) => hashBuildSettings((build.settings ?? {}) as Record<string, unknown>) === wanted,
    );
    if (earlier) {
      await recordBackfillItem(item.id, { skippedFor: earlier.id });
      return "skipped";
    }
    // The variants of one commit share a comparison, so a click on the chart opens them together.
    const comparisonId =
      (await findBackfillCommitComparison(item.backfillId, item.sha)) ?? (await createComparison({ projectId: item.backfill.projectId, contextRevision: item.sha })).id;
    const build = await startBuild(item.variantId, { contextRevision: item.sha, comparisonId, priority: BACKFILL_BUILD_PRIORITY });
    await recordBackfillItem(item.id, { buildId: build.id });
    return "queued";
  } catch (error) {
    await recordBackfillItem(item.id, { error: isAppError(error) ? error.message : messageOf(error) });
    return "failed";
  }
};

/** Queues items until `ahead` of this backfill's builds are queued or running. */
export const feedBackfill = async (backfillId: string, ahead: number): Promise<void> => {
  let building = await countBackfillItemsBuilding(backfillId);
  // Bounded: skipped items do not count, so a fully built backfill is walked in one tick.
  for (let steps = 0; building < ahead && steps < 500; steps++) {
    const item = await claimNextBackfillItem(backfillId);
    if (!item) break;
    if ((await startItem(item)) === "queued") building++;
  }
  await finishBackfillIfDone(backfillId);
};

export const reconcileBackfills = async (options: { ahead: number }): Promise<void> => {
  for (const backfill of await findBackfillsToPlan()) await planBackfill(backfill);
  await syncBackfillItems();
  for (const id of await findRunningBackfillIds()) await feedBackfill(id, options.ahead);
};

/** Started by every worker beside its build work; `stop` waits for a tick under way. */
export const startBackfillWork = (options: { concurrency: number; tickMs?: number }) => {
  const ahead = Math.max(BACKFILL_MIN_AHEAD, options.concurrency + 1);
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = reconcileBackfills({ ahead })
      .catch((error) => getLogger().warn(`[backfill] ${messageOf(error)}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.tickMs ?? BACKFILL_TICK_MS);
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
