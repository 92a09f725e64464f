// Writes a running build's log lines and step updates to Postgres in small batches, so
// any process can follow the build live. Log size is capped per build with a marker.
import "server-only";
import { getLogCounters, writeLogBatch, type StepInput } from "@/lib/data/build-logs";
import type { BuildStep } from "@/lib/docker/build-stream";
import { buildLogger } from "@/lib/log";
import type { SecretMasker } from "@/lib/builds/secret-args";
import { logFlushDelay } from "@/lib/builds/log-flush-delay";

// Short: the live log is this much behind at most (issue 16), and a first line not at all (see
// schedule); writes are chained, so a slow database makes the batches bigger, not more frequent.
const FLUSH_INTERVAL_MS = 50;
const FLUSH_LINES = 200;

type PendingLine = { seq: number; stream: string; text: string; at: Date; stepDigest: string | null };

export type BuildRecorder = {
  /** `stepDigest`: the BuildKit step that printed the line, when known (the log groups by it). */
  log: (text: string, stream?: "stdout" | "stderr" | "system", stepDigest?: string | null) => void;
  step: (step: BuildStep) => void;
  /** Builder pattern: the image steps first seen from now on belong to ("build", then "main"). */
  setImage: (image: string) => void;
  /** After a successful engine build: records the steps it never saw finish as done; returns how many. */
  settleSteps: (at: Date) => number;
  flush: () => Promise<void>;
  close: () => Promise<void>;
};

/** `mask` runs on every line and step before it is stored: secret build arg values never reach the database. */
export const createBuildRecorder = async (buildId: string, maxLogBytes: number, mask: SecretMasker = (text) => text): Promise<BuildRecorder> => {
  const existing = await getLogCounters(buildId);
  let seq = existing.logLines;
  let bytes = existing.logBytes;
  let truncated = existing.logTruncated;
  let lines: PendingLine[] = [];
  const steps = new Map<string, BuildStep>();
  const stepPositions = new Map<string, number>();
  const stepState = new Map<string, BuildStep>();
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const stepImages = new Map<string, string>();
  let currentImage = "main";

  const pushLine = (text: string, stream: string, stepDigest: string | null = null) => {
    seq += 1;
    lines.push({ seq, stream, text, at: new Date(), stepDigest });
  };

  const writeBatch = async () => {
    const batch = lines;
    lines = [];
    const stepBatch = [...steps.values()];
    steps.clear();
    if (!batch.length && !stepBatch.length) return;
    const all = [...new Map([...stepState, ...stepBatch.map((s) => [s.digest, s] as const)]).values()];
    try {
      await writeRows(batch, stepBatch, all);
      for (const step of stepBatch) stepState.set(step.digest, step);
    } catch (error) {
      // Keep what failed for the next attempt: a database blip must not lose log lines.
      lines = [...batch, ...lines];
      for (const step of stepBatch) if (!steps.has(step.digest)) steps.set(step.digest, step);
      throw error;
    }
  };

  const writeRows = (batch: PendingLine[], stepBatch: BuildStep[], all: BuildStep[]) =>
    writeLogBatch(buildId, {
      lines: batch,
      steps: stepBatch.map((step) => ({ ...toStepInput(step, stepPositions.get(step.digest)!), image: stepImages.get(step.digest) })),
      allSteps: all,
      logBytes: bytes,
      logTruncated: truncated,
    });

  let lastFlushAt = -Infinity;
  const flush = () => {
    lastFlushAt = performance.now();
    flushing = flushing.catch(() => {}).then(writeBatch);
    return flushing;
  };

  // A build's first line (and any after a quiet spell) is written at once; a burst once per interval.
  const schedule = () => {
    if (lines.length >= FLUSH_LINES) void flush().catch(() => {});
    else timer ??= setTimeout(() => {
      timer = undefined;
      void flush().catch((error) => buildLogger(buildId).error({ err: error }, "[recorder] flush failed"));
    }, logFlushDelay(lastFlushAt, performance.now(), FLUSH_INTERVAL_MS));
  };

  return {
    log: (raw, stream = "stdout", stepDigest = null) => {
      if (truncated) return;
      const text = mask(raw);
      const size = Buffer.byteLength(text);
      if (bytes + size > maxLogBytes) {
        truncated = true;
        pushLine(`[layerboard] log truncated after ${bytes} bytes (limit ${maxLogBytes})`, "system");
      } else {
        bytes += size;
        pushLine(text, stream, stepDigest);
      }
      schedule();
    },
    step: (raw) => {
      const step = { ...raw, name: mask(raw.name), error: raw.error ? mask(raw.error) : raw.error };
      if (!stepPositions.has(step.digest)) {
        stepPositions.set(step.digest, stepPositions.size);
        stepImages.set(step.digest, currentImage);
      }
      steps.set(step.digest, step);
      schedule();
    },
    setImage: (image) => {
      currentImage = image;
    },
    // BuildKit dedupes identical work across concurrent builds on one engine: a build whose
    // steps match one already running is only told their names (never started nor completed,
    // seen on 20.10), while the other build's trace reports the work. Once the engine has made
    // the image those steps are done; one never started did no work here, like a cache hit.
    settleSteps: (at) => {
      let count = 0;
      for (const digest of stepPositions.keys()) {
        const step = steps.get(digest) ?? stepState.get(digest);
        if (!step || step.completedAt || step.error) continue;
        count += 1;
        steps.set(digest, { ...step, startedAt: step.startedAt ?? at, completedAt: at, cached: step.cached || !step.startedAt });
      }
      if (count) schedule();
      return count;
    },
    flush,
    close: async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await retry(flush);
    },
  };
};

export const retry = async <T>(fn: () => Promise<T>, attempts = 30, delayMs = 1000): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
};

const toStepInput = (step: BuildStep, position: number): StepInput => ({ ...step, position });
