// The one pipeline every build goes through: resolve context → build → analyse →
// (builder pattern: copy the artefact out, build the runtime image) → smoke run → persist.
import "server-only";
import type Docker from "dockerode";
import { getEnv } from "@/lib/env";
import { finishBuild, type BuildFailure, type FinalBuildStatus } from "@/lib/data/build-status";
import { updateBuildDetails, type BuildForRun } from "@/lib/data/builds";
import { findContextArchiveData } from "@/lib/data/context-archives";
import { createLayers } from "@/lib/data/layers";
import { saveSmokeResult } from "@/lib/data/smoke-results";
import { saveCommit } from "@/lib/data/commits";
import { AppError, isAppError } from "@/lib/errors";
import { openContext, readDockerfileInContext, type ContextSource } from "@/lib/builds/context/open-context";
import { createBuildRecorder, retry, type BuildRecorder } from "@/lib/builds/build-recorder";
import { declaresArg, findFinalBaseImage } from "@/lib/builds/dockerfile";
import { mergeTarStreams } from "@/lib/builds/tar-merge";
import { createSecretMasker, maskerForSettings, type SecretMasker } from "@/lib/builds/secret-args";
import { openBuildSecrets } from "@/lib/builds/manage-build-secrets";
import { BUILD_IMAGE, MAIN_IMAGE, type LayerImage } from "@/lib/layer-images";
import { buildImage } from "@/lib/docker/build-image";
import { analyseImage, type ImageAnalysis } from "@/lib/docker/analyse-image";
import { runSmoke } from "@/lib/docker/smoke-run";
import { exportPathFromImage } from "@/lib/docker/copy-from-image";
import { findEngineUnavailable } from "@/lib/docker/engine-info";
import { getRecentEngineInfo } from "@/lib/docker/engine-info-cache";
import { engineUnavailable } from "@/lib/docker/engine-error";
import type { BuildEvent } from "@/lib/docker/build-stream";
import { notifyBuildFinished } from "@/lib/notifications/notify-build";
import { buildLogger } from "@/lib/log";
import { queueContentAnalysis } from "@/lib/builds/content-analysis";
import { createPhaseRecorder } from "@/lib/builds/phase-recorder";
import { openRegistryTarget } from "@/lib/builds/registry-target";
import { pushBuildImage } from "@/lib/builds/registry-push";
import { pullRegistryBaseImage } from "@/lib/builds/registry-base-image";
import { recordImageStoreSizes } from "@/lib/builds/image-store-sizes";
import { recordPush } from "@/lib/data/registry";
import { refineLayerMappings, type ProvisionalMapping } from "@/lib/builds/refine-layer-mapping";

type Project = BuildForRun["project"];
type Variant = BuildForRun["variant"];

type Settings = Pick<
  Variant,
  "dockerfile" | "target" | "buildArgs" | "secretArgs" | "smokeCommand" | "smokePrivileges" | "builder" | "noCache" | "runtimeDockerfile" | "artifactPath" | "strategy" | "registryBaseImage"
>;

export type RunBuildOptions = { docker: Docker; workerId: string; signal: AbortSignal };

// The abort reason of a worker that shuts down: the build ends INTERRUPTED, not CANCELLED.
export const WORKER_SHUTDOWN = "interrupted: the worker shut down";

const contextSourceOf = async (project: Project, pinnedRevision: string | null, pinnedArchiveId: unknown): Promise<ContextSource> => {
  // A build frozen to an uploaded archive (the project's at queue time, or a CLI upload) builds those bytes.
  if (typeof pinnedArchiveId === "string") {
    const archive = await findContextArchiveData(pinnedArchiveId);
    if (!archive) throw new AppError("CONTEXT_REFUSED", "the uploaded context archive of this build was removed (retention): upload it again");
    return { kind: "ARCHIVE", data: archive.data, filename: archive.filename };
  }
  if (project.contextKind === "GIT") return { kind: "GIT", url: project.gitUrl ?? "", ref: pinnedRevision ?? project.gitRef ?? "HEAD" };
  if (project.contextKind === "ARCHIVE") {
    const archive = project.archiveId ? await findContextArchiveData(project.archiveId) : null;
    if (!archive) throw new AppError("CONTEXT_REFUSED", "the uploaded context archive is missing");
    return { kind: "ARCHIVE", data: archive.data, filename: archive.filename };
  }
  return { kind: "DIRECTORY", path: project.contextPath ?? "" };
};

const imageTagFor = (project: Project, variant: Variant, buildId: string) =>
  `layerboard/${project.slug}-${variant.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}:${buildId.toLowerCase()}`;

// Build args the Dockerfile declares get the configured local base image unless the variant sets one.
// A registry base image (issue 17 item 7) is the variant's BASE_IMAGE.
const effectiveBuildArgs = (dockerfileText: string, variantArgs: Record<string, string>, registryBase: string | null = null) => {
  const args = { ...variantArgs };
  if (registryBase && declaresArg(dockerfileText, "BASE_IMAGE")) args.BASE_IMAGE = registryBase;
  if (!args.BASE_IMAGE && declaresArg(dockerfileText, "BASE_IMAGE")) args.BASE_IMAGE = getEnv().LAYERBOARD_BASE_IMAGE;
  return args;
};

const forwardEvents = (recorder: BuildRecorder, prefix = "") => (event: BuildEvent) => {
  if (event.type === "log") recorder.log(prefix + event.text, event.stream, event.vertex ?? null);
  else if (event.type === "step") recorder.step(event.step);
  else if (event.type === "error") recorder.log(prefix + event.message, "stderr");
};

const settleSteps = (recorder: BuildRecorder) => {
  const count = recorder.settleSteps(new Date());
  if (count) recorder.log(`[layerboard] ${count} step(s) were run by an identical build on the engine at the same time; recorded as cached`, "system");
};

// History entries of a RUN with build args carry their values (`RUN |1 API_TOKEN=… /bin/sh -c …`).
const persistLayers = (buildId: string, image: LayerImage, analysis: ImageAnalysis, mask: SecretMasker) =>
  createLayers(buildId, image, analysis.layers.map((layer) => ({ ...layer, createdBy: mask(layer.createdBy), instruction: mask(layer.instruction) })));

// Retried like every database write of the pipeline: a blip must not leave the build running.
const finish = (buildId: string, status: FinalBuildStatus, failure: BuildFailure | null, workerId: string) =>
  retry(() => finishBuild(buildId, status, failure, { workerId }));

export const runBuild = async (build: BuildForRun, options: RunBuildOptions) => {
  const { docker, signal, workerId } = options;
  const env = getEnv();
  const settings = { ...build.variant, ...(build.settings as Partial<Settings>) } as Settings;
  // Secret build args (lib/builds/secret-args.ts): their values are masked in all that is stored.
  const argsMask = maskerForSettings(settings);
  // Build secrets (issue 17 item 6) are opened below; their values are masked the same way (a RUN
  // that prints one would otherwise put it in the stored log).
  let secretsMask: SecretMasker = (text) => text;
  const mask: SecretMasker = (text) => secretsMask(argsMask(text));
  // Database calls before the engine work are retried like the rest: a blip must not fail the build.
  const recorder = await retry(() => createBuildRecorder(build.id, env.LAYERBOARD_MAX_LOG_BYTES, mask));
  const labels = { "layerboard.build": build.id, "layerboard.project": build.project.slug };
  const tag = imageTagFor(build.project, build.variant, build.id);
  let context: Awaited<ReturnType<typeof openContext>> | undefined;
  // Issue 13: where the time goes outside BuildKit steps, one phase after another.
  const phases = createPhaseRecorder(build.id);
  // Images whose layer mapping the history left ambiguous: settled from the export after the result (issue 16).
  const provisional: ProvisionalMapping[] = [];
  try {
    await phases.begin("context");
    context = await openContext(await contextSourceOf(build.project, build.contextRevision, (build.settings as Record<string, unknown> | null)?.contextArchiveId), { readCommit: true });
    const engine = await getRecentEngineInfo(docker);
    if (!engine.reachable) throw engineUnavailable(engine.reason);
    const contextRevision = build.contextRevision ?? context.revision;
    await retry(() =>
      updateBuildDetails(build.id, { contextRevision, engineVersion: engine.version, storageDriver: engine.storageDriver, imageTag: tag }),
    );
    // Issue 15: the commit's subject, author, date and first parent, as the clone says.
    if (context.commit) await retry(() => saveCommit(build.projectId, context!.commit!));
    recorder.log(`[layerboard] building ${settings.dockerfile} on engine ${engine.version} (${settings.builder.toLowerCase()})`, "system");
    // Registries (issue 17): the project's target, a base image pulled from it before the build.
    const registry = await retry(() => openRegistryTarget(build.project.id));
    const registryBase = settings.registryBaseImage
      ? await pullRegistryBaseImage({ buildId: build.id, name: settings.registryBaseImage, target: registry, docker, recorder, signal })
      : null;

    // BuildKit builds get the secrets and the registry credentials through their session; the
    // classic builder has none and ignores secret mounts.
    const secrets = settings.builder === "BUILDKIT" ? await retry(() => openBuildSecrets(build.project.id, build.variant.id)) : new Map<string, Buffer>();
    secretsMask = createSecretMasker([...secrets.values()].map((value) => value.toString("utf8")).sort((a, b) => b.length - a.length));
    const registries = registry ? [{ host: registry.host, username: registry.username, password: registry.password }] : [];

    const dockerfileText = await readDockerfileInContext(context.dir, settings.dockerfile);
    const buildArgs = effectiveBuildArgs(dockerfileText, (settings.buildArgs ?? {}) as Record<string, string>, registryBase);
    const common = { docker, buildArgs, noCache: settings.noCache, labels, builder: settings.builder, networkMode: env.LAYERBOARD_NETWORK_MODE, signal, secrets, registries };
    const isBuilderPattern = settings.strategy === "BUILDER_PATTERN" && settings.runtimeDockerfile && settings.artifactPath;
    await phases.begin(isBuilderPattern ? "build-image" : "engine-build");
    if (isBuilderPattern) recorder.setImage(BUILD_IMAGE);

    const first = await buildImage({
      ...common,
      context: context.createTarStream({ dockerfile: settings.dockerfile }),
      dockerfile: settings.dockerfile,
      target: settings.target,
      tag: isBuilderPattern ? `${tag}-build` : tag,
      onEvent: forwardEvents(recorder, isBuilderPattern ? "[build image] " : ""),
    });
    settleSteps(recorder);

    let finalImageId = first.imageId;
    let finalDockerfile = dockerfileText;
    let finalBuildArgs = buildArgs;
    if (isBuilderPattern) {
      await phases.begin("build-analysis");
      const buildAnalysis = await analyseImage(first.imageId, {
        docker,
        baseImage: findFinalBaseImage(dockerfileText, buildArgs, settings.target),
        exportWhenAmbiguous: false,
      });
      if (!buildAnalysis.mappingExact) provisional.push({ image: BUILD_IMAGE, imageId: buildAnalysis.imageId });
      await retry(() => persistLayers(build.id, BUILD_IMAGE, buildAnalysis, mask));
      await retry(() => updateBuildDetails(build.id, { buildImageId: first.imageId, buildImageSize: buildAnalysis.totalSize }));
      recorder.log(`[layerboard] copying ${settings.artifactPath} out of the build image`, "system");
      await phases.begin("copy-artifact");
      const artifact = await exportPathFromImage(first.imageId, settings.artifactPath!, { docker, labels });
      try {
        await phases.begin("runtime-image");
        recorder.setImage(MAIN_IMAGE);
        finalDockerfile = await readDockerfileInContext(context.dir, settings.runtimeDockerfile!);
        finalBuildArgs = effectiveBuildArgs(finalDockerfile, (settings.buildArgs ?? {}) as Record<string, string>, registryBase);
        const runtime = await buildImage({
          ...common,
          buildArgs: finalBuildArgs,
          context: mergeTarStreams([
            { tar: context.createTarStream({ dockerfile: settings.runtimeDockerfile! }) },
            { tar: artifact.tar, prefix: "artifact" },
          ]),
          dockerfile: settings.runtimeDockerfile!,
          target: null,
          tag,
          onEvent: forwardEvents(recorder, "[runtime image] "),
        });
        settleSteps(recorder);
        finalImageId = runtime.imageId;
      } finally {
        await artifact.cleanup();
      }
    }

    // A cancel that arrives after the engine finished still stops the pipeline.
    signal.throwIfAborted();
    await phases.begin("analysis");
    const analysis = await analyseImage(finalImageId, {
      docker,
      baseImage: findFinalBaseImage(finalDockerfile, finalBuildArgs, isBuilderPattern ? null : settings.target),
      exportWhenAmbiguous: false,
    });
    if (!analysis.mappingExact) provisional.push({ image: MAIN_IMAGE, imageId: analysis.imageId });
    await retry(() => persistLayers(build.id, MAIN_IMAGE, analysis, mask));
    await retry(() =>
      updateBuildDetails(build.id, { imageId: analysis.imageId, totalSize: analysis.totalSize, storageDriver: analysis.storageDriver }),
    );
    // Which image store the engine keeps (overlay2 or containerd) and, on containerd, its own sizes.
    await recordImageStoreSizes(build.id, analysis.imageId, engine, docker, recorder);
    recorder.log(`[layerboard] image ${analysis.imageId.slice(0, 19)} is ${analysis.totalSize} bytes; smoke run…`, "system");

    signal.throwIfAborted();
    await phases.begin("smoke");
    const smoke = await runSmoke(analysis.imageId, {
      docker,
      command: (settings.smokeCommand as string[] | null) ?? null,
      privileges: settings.smokePrivileges ?? "STRICT",
      timeoutMs: env.LAYERBOARD_SMOKE_TIMEOUT_S * 1000,
      memoryBytes: env.LAYERBOARD_SMOKE_MEMORY_MB * 1024 * 1024,
      labels,
    });
    recorder.log(
      smoke.runs
        ? `[layerboard] smoke run passed in ${smoke.durationMs} ms`
        : `[layerboard] the image does not run: ${smoke.error ?? `exit code ${smoke.exitCode}${smoke.timedOut ? " (timed out)" : ""}`}`,
      "system",
    );
    await retry(() => saveSmokeResult(build.id, { ...smoke, outputHead: mask(smoke.outputHead), outputTail: mask(smoke.outputTail), error: smoke.error && mask(smoke.error) }));
    signal.throwIfAborted();
    // After the smoke run: an image that does not run is not pushed. A failed push never fails the build.
    if (registry && smoke.runs) {
      await phases.begin("push");
      await pushBuildImage({ buildId: build.id, imageId: analysis.imageId, projectSlug: build.project.slug, variantName: build.variant.name, revision: contextRevision, target: registry, docker, recorder, signal });
    }
    else if (registry) await retry(() => recordPush(build.id, { status: "SKIPPED", ref: null, digest: null, error: "the image does not run: not pushed" }));
    signal.throwIfAborted();
    await phases.end();
    await recorder.close();
    await finish(build.id, "SUCCEEDED", null, workerId);
    // After the final status: the build's result and duration never wait for the content analysis.
    await queueContentAnalysis(build.id);
  } catch (error) {
    const interrupted = signal.aborted && signal.reason === WORKER_SHUTDOWN;
    const cancelled = signal.aborted || (isAppError(error) && error.code === "BUILD_CANCELLED");
    const message = error instanceof Error ? error.message : String(error);
    recorder.log(`[layerboard] ${interrupted ? WORKER_SHUTDOWN : cancelled ? "cancelled" : `failed: ${message}`}`, "system");
    buildLogger(build.id, { workerId }).warn(`[layerboard] ${interrupted ? WORKER_SHUTDOWN : cancelled ? "cancelled" : `failed: ${message}`}`);
    await phases.end();
    await recorder.close().catch(() => undefined);
    if (interrupted) await finish(build.id, "INTERRUPTED", { code: "INTERRUPTED", message: WORKER_SHUTDOWN }, workerId);
    else if (cancelled) await finish(build.id, "CANCELLED", { code: "CANCELLED", message: String(signal.reason ?? "cancelled by a user") }, workerId);
    else {
      const failure = await describeFailure(error, docker);
      await finish(build.id, "FAILED", { ...failure, message: mask(failure.message) }, workerId);
    }
  } finally {
    await context?.cleanup().catch(() => undefined);
    // After the final status: the result never waits for the export; rare (see configFromHistory).
    if (provisional.length) await refineLayerMappings(build.id, provisional, docker);
    // After the final status; not awaited and never throws (webhooks, issue 12).
    notifyBuildFinished(build.id);
  }
};

// A stream cut mid-build usually means the engine went away: say so plainly.
const describeFailure = async (error: unknown, docker: Docker): Promise<BuildFailure> => {
  const message = error instanceof Error ? error.message : String(error);
  if (isAppError(error) && error.code !== "BUILD_FAILED" && error.code !== "INTERNAL") return { code: error.code, message };
  const unavailable = await findEngineUnavailable(message, docker);
  if (unavailable) return { code: unavailable.code, message: unavailable.message };
  return { code: isAppError(error) ? error.code : "INTERNAL", message };
};
