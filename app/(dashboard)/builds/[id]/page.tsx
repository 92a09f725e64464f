// One build: header, then (once finished) image size breakdown, layers, smoke result and
// advice, and always the live progress, step timeline and log.
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { adviseOnLayers } from "@/lib/analysis/advice";
import { mergeAdvice } from "@/lib/content/content-advice";
import { MAIN_IMAGE } from "@/lib/layer-images";
import { isFinished } from "@/lib/types";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { BuildHeader } from "@/components/builds/build-header";
import { BuildImages } from "@/components/builds/build-images";
import { SmokeResult } from "@/components/builds/smoke-result";
import { AdviceList } from "@/components/builds/advice-list";
import { BuildLive } from "@/components/builds/build-live";
import { RebuildClassicButton } from "@/components/builds/rebuild-classic-button";
import { SharePanel } from "@/components/reports/share-panel";
import { findBuild } from "./find-build";
import { findPreviousBuildId } from "./find-previous-build";
import { BuildRetention } from "@/components/builds/build-retention";
import { PinBuildButton } from "@/components/builds/pin-build-button";
import { pinBuildAction, rerunBuildAction } from "./actions";
import { RerunPanel } from "@/components/builds/rerun-panel";
import { getProject } from "@/lib/data/projects";
import { nullIfNotFound } from "@/lib/data/not-found";
import { describeNextStep } from "@/lib/builds/next-step";
import { describeSmokeFailure } from "@/lib/analysis/smoke-reason";
import { findBuildContent } from "./find-content";
import { ContentSection } from "@/components/content/content-section";
import { RunFindings, type RunFindingsState } from "@/components/content/run-findings";
import { isDatabaseAnswering } from "@/lib/data/database-probe";
import { DATABASE_UNAVAILABLE_TITLE } from "@/components/ui/database-unavailable";
import { findQueuePosition } from "@/lib/data/queue-position";
import { RegistryCard } from "@/components/builds/registry-card";
import { findBuildRegistryView } from "@/lib/data/pull-views";
import { getEnv } from "@/lib/env";

type Props = { params: Promise<{ id: string }> };

export const generateMetadata = async ({ params }: Props) => {
  if (!(await isDatabaseAnswering())) return { title: DATABASE_UNAVAILABLE_TITLE };
  const build = await findBuild((await params).id);
  return { title: build ? `${build.variantName} build · ${build.projectName}` : "Build not found" };
};

export default async function BuildPage({ params }: Props) {
  const { id } = await params;
  const [actor, build] = await Promise.all([requirePageActor(), findBuild(id)]);
  if (!build) notFound();

  const finished = isFinished(build.status);
  const queuePosition = build.status === "QUEUED" ? await findQueuePosition(build.id) : null;
  const previousBuildId = finished ? await findPreviousBuildId(build) : null;
  const mainLayers = build.layers.filter((l) => l.image === MAIN_IMAGE);
  const estimated = mainLayers.length ? adviseOnLayers({ layers: mainLayers }) : [];
  // Image contents (issue 11): analysed by a separate job after a successful build.
  const content = build.status === "SUCCEEDED" ? await findBuildContent(build) : null;
  // Once the contents are analysed, measured bytes replace the estimates they cover.
  const measured = content?.analysis?.result?.advice;
  const findings = measured ? mergeAdvice(estimated, measured) : estimated;
  // Registries and pull cost (issue 17).
  const registry = finished ? await findBuildRegistryView(build.id, (getEnv().LAYERBOARD_PULL_BANDWIDTH_MBIT * 1_000_000) / 8) : null;
  const runFindings: RunFindingsState | null = content && {
    status: !content.analysis ? "none" : content.analysis.status === "SUCCEEDED" ? "done" : content.analysis.status === "FAILED" ? "failed" : "pending",
    findings: content.analysis?.result?.findings ?? [],
    error: content.analysis?.error?.message ?? null,
  };

  const live = (
    <div id="build-log" className="scroll-mt-4">
    <BuildLive
      buildId={build.id}
      canCancel={hasRole(actor.role, "BUILDER")}
      isBuilderPattern={build.strategy === "BUILDER_PATTERN" && !!build.settings.runtimeDockerfile}
      // The content analysis runs after the build, on its own queue: shown as a phase after the end.
      afterPhases={content?.analysis?.startedAt ? [{ name: "content-analysis", startedAt: content.analysis.startedAt, finishedAt: content.analysis.finishedAt }] : []}
      renderedAtMs={Date.now()}
      logRemovedNote={build.logRemovedAt ? `Log removed after ${build.logRetainedDays ?? "?"} days (retention); the steps, error and smoke result above stay.` : undefined}
      initial={{
        status: build.status,
        stepsDone: build.stepsDone,
        stepsTotal: build.stepsTotal,
        cachedSteps: build.cachedSteps,
        logTruncated: build.logTruncated,
        finishedAt: build.finishedAt,
        steps: build.steps,
        startedAt: build.startedAt,
        phases: build.phases,
        queuePosition,
      }}
    />
    </div>
  );
  // Re-run and, for a build that did not end well, what to do next (issue 13).
  const nextStep = finished
    ? describeNextStep({ ...build, smokeReason: describeSmokeFailure(build.smoke, content?.analysis?.result?.findings ?? []) })
    : null;
  const contextKind = finished ? (await nullIfNotFound(getProject(build.projectId)))?.contextKind : null;
  const rerunSource = {
    kind: typeof build.settings.contextArchiveId === "string" ? ("archive" as const) : contextKind === "GIT" ? ("commit" as const) : ("directory" as const),
    revision: build.contextRevision,
  };

  return (
    <div className="space-y-6">
      <BuildHeader build={build} previousBuildId={previousBuildId} />

      {finished && <RerunPanel buildId={build.id} nextStep={nextStep} source={rerunSource} rerunAction={hasRole(actor.role, "BUILDER") ? rerunBuildAction : undefined} />}

      {build.errorCode === "SESSION_REQUIRED" && (
        <Card title="This build needs a BuildKit session feature Layerboard does not serve">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
            Layerboard opens a BuildKit session for every BuildKit build: it serves the project&apos;s registry credentials for{" "}
            <code>FROM</code> pulls and its build secrets for <code>--mount=type=secret</code>. It does not forward an SSH agent
            (<code>--mount=type=ssh,required=true</code>). The classic builder needs no session (but ignores BuildKit-only Dockerfile features).
          </p>
          {hasRole(actor.role, "BUILDER") && <RebuildClassicButton variantId={build.variantId} />}
        </Card>
      )}

      {finished && build.layers.length > 0 && <BuildImages build={build} />}

      {finished && (build.smoke || build.status === "SUCCEEDED") && (
        <Card title="Does it run?">
          {build.smoke ? <SmokeResult smoke={build.smoke} /> : <EmptyState title="No smoke run was recorded for this build" />}
          {runFindings && (
            <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
              <RunFindings
                state={runFindings}
                smoke={build.smoke && { runs: build.smoke.runs, exitCode: build.smoke.exitCode, timedOut: build.smoke.timedOut, output: `${build.smoke.error ?? ""}\n${build.smoke.outputHead}\n${build.smoke.outputTail}` }}
                layers={content!.layers}
              />
            </div>
          )}
        </Card>
      )}

      {registry && build.status === "SUCCEEDED" && <RegistryCard view={registry} />}

      {finished && mainLayers.length > 0 && (
        <Card title="Advice">
          {findings.length ? <AdviceList findings={findings} /> : <EmptyState title="No advice">The image's own layers show no known waste.</EmptyState>}
        </Card>
      )}

      {content && <ContentSection buildId={build.id} {...content} />}

      {/* Issue 13: a failed build's log (opened at the failing step) comes before sharing it. */}
      {build.status === "FAILED" && live}

      {finished && <SharePanel kind="build" id={build.id} canShare={hasRole(actor.role, "BUILDER")} />}

      {finished && (
        <BuildRetention
          build={build}
          pinControl={hasRole(actor.role, "BUILDER") ? <PinBuildButton buildId={build.id} pinned={!!build.pinnedAt} action={pinBuildAction} /> : undefined}
        />
      )}

      {build.status !== "FAILED" && live}
    </div>
  );
}
