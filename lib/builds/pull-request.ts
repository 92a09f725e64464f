// The pull-request view (issue 15 item 5): every variant built at a base and a head commit,
// reusing a build of the same commit with the same image settings (succeeded, or still on its
// way) instead of queuing another, then the two sides read back into one report.
import "server-only";
import { AppError } from "@/lib/errors";
import { getBuild } from "@/lib/data/builds";
import { getProjectRecord } from "@/lib/data/projects";
import { findBuildsAtRevisions, type RevisionBuildRow } from "@/lib/data/revision-builds";
import { toNumber } from "@/lib/data/mappers";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";
import { resolveGitRevision } from "@/lib/builds/git-revision";
import { startBuild } from "@/lib/builds/start-build";
import { buildSettingsKey } from "@/lib/builds/build-settings-key";
import { assemblePullRequestReport, type PullRequestReport, type PullRequestSide } from "@/lib/reports/pull-request-report";
import type { BuildStatus } from "@/lib/types";

type ProjectRecord = Awaited<ReturnType<typeof getProjectRecord>>;
type VariantRecord = ProjectRecord["variants"][number];

const IN_FLIGHT: BuildStatus[] = ["QUEUED", "RUNNING"];

const getGitProject = async (projectIdOrSlug: string) => {
  const project = await getProjectRecord(projectIdOrSlug);
  if (project.contextKind !== "GIT" || !project.gitUrl) throw new AppError("VALIDATION", `a pull-request report needs a git project: ${project.slug}'s context is not a git repository`);
  if (!project.variants.length) throw new AppError("VALIDATION", `project ${project.name} has no variants to compare`);
  return project;
};

const sameImage = (variant: VariantRecord) => {
  const key = buildSettingsKey(variant as unknown as Record<string, unknown>);
  return (row: RevisionBuildRow, sha: string) => row.variantId === variant.id && row.contextRevision === sha && buildSettingsKey(row.settings) === key;
};

// A succeeded build first, then one on its way, then the newest that ended otherwise (rows are newest first).
const pickBuild = (rows: RevisionBuildRow[]) =>
  rows.find((r) => r.status === "SUCCEEDED") ?? rows.find((r) => IN_FLIGHT.includes(r.status)) ?? rows[0] ?? null;

const readReport = async (project: ProjectRecord, base: PullRequestSide, head: PullRequestSide): Promise<PullRequestReport> => {
  const rows = await findBuildsAtRevisions(project.id, [...new Set([base.sha, head.sha])]);
  const variants = await Promise.all(
    project.variants.map(async (variant) => {
      const matches = sameImage(variant);
      const at = async (sha: string) => {
        const picked = pickBuild(rows.filter((r) => matches(r, sha)));
        return picked ? getBuild(picked.id) : null;
      };
      return {
        variantId: variant.id,
        name: variant.name,
        sizeBudgetBytes: variant.sizeBudgetBytes === null ? null : toNumber(variant.sizeBudgetBytes),
        regressionThresholdPct: variant.regressionThresholdPct,
        base: await at(base.sha),
        head: await at(head.sha),
      };
    }),
  );
  return assemblePullRequestReport({ project: { id: project.id, slug: project.slug, name: project.name }, base, head, generatedAt: new Date().toISOString(), variants });
};

/** Reads the report of two commits; queues nothing. */
export const getPullRequestReport = async (projectIdOrSlug: string, input: { base: PullRequestSide; head: PullRequestSide }) =>
  readReport(await getGitProject(projectIdOrSlug), input.base, input.head);

/** Resolves both refs, queues what is not built yet, and returns the report as it stands. */
export const startPullRequestReport = async (projectIdOrSlug: string, input: { base: string; head: string }) => {
  const project = await getGitProject(projectIdOrSlug);
  await assertProjectContextAllowed(project);
  const [baseSha, headSha] = await Promise.all([resolveGitRevision(project.gitUrl!, input.base), resolveGitRevision(project.gitUrl!, input.head)]);
  if (!baseSha || !headSha) throw new AppError("CONTEXT_REFUSED", "could not resolve the base or head ref to a commit");
  const existing = await findBuildsAtRevisions(project.id, [...new Set([baseSha, headSha])]);
  let queued = 0;
  let reused = 0;
  for (const sha of new Set([baseSha, headSha]))
    for (const variant of project.variants) {
      const matches = sameImage(variant);
      const usable = existing.find((row) => matches(row, sha) && (row.status === "SUCCEEDED" || IN_FLIGHT.includes(row.status)));
      if (usable) reused += 1;
      else {
        await startBuild(variant.id, { contextRevision: sha });
        queued += 1;
      }
    }
  const report = await readReport(project, { ref: input.base, sha: baseSha }, { ref: input.head, sha: headSha });
  return { report, queued, reused };
};
