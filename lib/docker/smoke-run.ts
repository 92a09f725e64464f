// Runs a built image once in a throw-away container to tell whether it actually starts and exits cleanly.
import "server-only";
import type Docker from "dockerode";
import { getDocker } from "@/lib/docker/client";
import { classifyEngineError, engineMessage, engineUnavailable, toEngineAppError } from "@/lib/docker/engine-error";
import { AppError } from "@/lib/errors";
import type { SmokeDto } from "@/lib/types";

export type SmokeOutcome = SmokeDto;

export type RunSmokeOptions = {
  docker?: Docker;
  /** Replaces the image's Cmd (the entrypoint still applies); null/undefined keeps the image's. */
  command?: string[] | null;
  timeoutMs?: number;
  memoryBytes?: number;
  /** STRICT (the default) applies SMOKE_HOST_CONFIG; RELAXED runs with the engine's defaults. */
  privileges?: "STRICT" | "RELAXED";
  labels?: Record<string, string>;
};

export const SMOKE_LABEL = "layerboard.smoke";
export const DEFAULT_SMOKE_TIMEOUT_MS = 30_000;
export const DEFAULT_SMOKE_MEMORY_BYTES = 512 * 1024 * 1024;
/** Process/thread cap of a smoke container: enough for an app server, stops a fork bomb. */
export const SMOKE_PIDS_LIMIT = 256;
/** Size of the only writable place in a smoke container, a tmpfs on /tmp. */
export const SMOKE_TMPFS_BYTES = 64 * 1024 * 1024;
/**
 * Least privilege for a smoke run: no capabilities, no privilege gain through setuid binaries,
 * a process cap, a read-only root filesystem with a small writable /tmp, no network. The image's
 * own USER applies (no User override).
 */
export const SMOKE_HOST_CONFIG = {
  CapDrop: ["ALL"],
  SecurityOpt: ["no-new-privileges"],
  PidsLimit: SMOKE_PIDS_LIMIT,
  ReadonlyRootfs: true,
  Tmpfs: { "/tmp": `rw,nosuid,nodev,size=${SMOKE_TMPFS_BYTES}` },
} as const;
const OUTPUT_LINES = 20;
const OUTPUT_CHARS = 4096;
// Bound on the rolling tail buffer while a large log streams through.
const TAIL_WINDOW_CHARS = 64 * 1024;
// After SIGKILL the wait returns within milliseconds; do not hang on an engine that does not answer.
const KILL_GRACE_MS = 10_000;

const sleep = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref?.());

/**
 * Demultiplexes the engine's log stream (no TTY): frames of an 8-byte header
 * `[stream, 0, 0, 0, size(uint32 BE)]` followed by `size` bytes. A stream that does not start
 * with a valid header (a TTY container) is passed through as raw bytes.
 */
export const createLogDemuxer = (onPayload: (payload: Buffer, stream: "stdout" | "stderr") => void) => {
  let pending: Buffer = Buffer.alloc(0);
  let raw: boolean | null = null;
  return (chunk: Buffer) => {
    if (raw) return onPayload(chunk, "stdout");
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (raw === null && pending.length >= 4) {
      raw = pending[0] > 2 || pending[1] !== 0 || pending[2] !== 0 || pending[3] !== 0;
      if (raw) {
        const all = pending;
        pending = Buffer.alloc(0);
        return onPayload(all, "stdout");
      }
    }
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      onPayload(pending.subarray(8, 8 + size), pending[0] === 2 ? "stderr" : "stdout");
      pending = pending.subarray(8 + size);
    }
  };
};

/** Keeps the first and last lines of a stream of text without holding all of it. */
export const createOutputCollector = () => {
  const decoder = new TextDecoder("utf-8");
  let head = "";
  let headDone = false;
  let tail = "";
  const append = (text: string) => {
    if (!headDone) {
      head += text;
      if (head.length >= OUTPUT_CHARS || head.split("\n").length > OUTPUT_LINES + 1) headDone = true;
    }
    tail += text;
    if (tail.length > TAIL_WINDOW_CHARS) tail = tail.slice(-OUTPUT_CHARS * 2);
  };
  const lines = (text: string) => text.replace(/\r?\n$/, "").split(/\r?\n/);
  return {
    push: (bytes: Buffer) => append(decoder.decode(bytes, { stream: true })),
    result: () => {
      append(decoder.decode());
      const outputHead = lines(head.slice(0, OUTPUT_CHARS)).slice(0, OUTPUT_LINES).join("\n");
      const outputTail = lines(tail).slice(-OUTPUT_LINES).join("\n").slice(-OUTPUT_CHARS);
      return { outputHead: head ? outputHead : "", outputTail: tail ? outputTail : "" };
    },
  };
};

// `GET /containers/{id}/logs` without follow: dockerode buffers the whole body; stream it instead
// so a chatty container cannot fill memory.
const readOutput = async (docker: Docker, containerId: string) => {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${containerId}/logs?`,
        method: "GET",
        isStream: true,
        statusCodes: { 200: true, 404: "no such container", 500: "server error" },
        options: { stdout: true, stderr: true, follow: false },
      },
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as NodeJS.ReadableStream)),
    );
  });
  const collector = createOutputCollector();
  const demux = createLogDemuxer((payload) => collector.push(payload));
  for await (const chunk of stream) demux(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return collector.result();
};

const imageCommand = async (docker: Docker, imageRef: string, command: string[] | null): Promise<string[]> => {
  try {
    const { Config } = await docker.getImage(imageRef).inspect();
    const entrypoint = Config?.Entrypoint;
    const entry = Array.isArray(entrypoint) ? entrypoint : entrypoint ? [entrypoint] : [];
    return [...entry, ...(command ?? Config?.Cmd ?? [])];
  } catch {
    return command ?? [];
  }
};

const engineDuration = (state: { StartedAt?: string; FinishedAt?: string } | undefined): number | null => {
  const started = Date.parse(state?.StartedAt ?? "");
  const finished = Date.parse(state?.FinishedAt ?? "");
  if (!Number.isFinite(started) || !Number.isFinite(finished) || started <= 0 || finished < started) return null;
  return finished - started;
};

export const runSmoke = async (imageRef: string, options: RunSmokeOptions = {}): Promise<SmokeOutcome> => {
  const docker = options.docker ?? getDocker();
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS;
  const memoryBytes = options.memoryBytes ?? DEFAULT_SMOKE_MEMORY_BYTES;
  const command = options.command?.length ? [...options.command] : null;

  const failed = (fields: Partial<SmokeOutcome>): SmokeOutcome => ({
    runs: false,
    exitCode: null,
    durationMs: 0,
    timedOut: false,
    oomKilled: false,
    outputHead: "",
    outputTail: "",
    command: command ?? [],
    error: null,
    ...fields,
  });
  // A refusal (no such image, a command that does not exist) is the smoke run's result; an
  // engine that does not answer is the pipeline's failure.
  const rethrowIfUnreachable = (error: unknown) => {
    if (error instanceof AppError) throw error;
    const failure = classifyEngineError(error);
    if (failure.kind === "unreachable") throw engineUnavailable(failure.reason);
  };

  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: imageRef,
      ...(command ? { Cmd: command } : {}),
      Labels: { ...options.labels, [SMOKE_LABEL]: "1" },
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      HostConfig: {
        Memory: memoryBytes,
        // Same as Memory: no swap, so a memory-hungry image is OOM-killed instead of thrashing.
        MemorySwap: memoryBytes,
        NetworkMode: "none",
        AutoRemove: false,
        ...(options.privileges === "RELAXED"
          ? {}
          : {
              CapDrop: [...SMOKE_HOST_CONFIG.CapDrop],
              SecurityOpt: [...SMOKE_HOST_CONFIG.SecurityOpt],
              PidsLimit: SMOKE_HOST_CONFIG.PidsLimit,
              ReadonlyRootfs: SMOKE_HOST_CONFIG.ReadonlyRootfs,
              Tmpfs: { ...SMOKE_HOST_CONFIG.Tmpfs },
            }),
      },
    });
  } catch (error) {
    rethrowIfUnreachable(error);
    return failed({ command: await imageCommand(docker, imageRef, command), error: engineMessage(error) });
  }

  try {
    const created = await container.inspect();
    const ran = [created.Path, ...(created.Args ?? [])];

    const startedAt = Date.now();
    try {
      await container.start();
    } catch (error) {
      rethrowIfUnreachable(error);
      const { outputHead, outputTail } = await readOutput(docker, container.id).catch(() => ({ outputHead: "", outputTail: "" }));
      return failed({ command: ran, durationMs: Date.now() - startedAt, outputHead, outputTail, error: engineMessage(error) });
    }

    // Wait only after start: a wait on a created-but-not-started container returns at once with 0.
    const waiting = container.wait().catch((error: unknown) => ({ error }));
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const first = await Promise.race([waiting, deadline]);
    clearTimeout(timer);
    if (first === "timeout") {
      timedOut = true;
      // 409: it exited between the timer and the kill.
      await container.kill().catch((error: unknown) => {
        rethrowIfUnreachable(error);
      });
      await Promise.race([waiting, sleep(KILL_GRACE_MS)]);
    }
    const wallMs = Date.now() - startedAt;

    const state = (await container.inspect()).State;
    const { outputHead, outputTail } = await readOutput(docker, container.id);
    const exitCode = typeof state?.ExitCode === "number" ? state.ExitCode : null;
    const oomKilled = Boolean(state?.OOMKilled);
    const error = timedOut
      ? `did not exit within ${timeoutMs} ms (killed)`
      : oomKilled
        ? `killed by the kernel OOM killer (memory limit ${memoryBytes} bytes)`
        : null;
    return {
      runs: exitCode === 0 && !timedOut,
      exitCode,
      durationMs: engineDuration(state) ?? wallMs,
      timedOut,
      oomKilled,
      outputHead,
      outputTail,
      command: ran,
      error,
    };
  } catch (error) {
    throw toEngineAppError(error, `smoke run of ${imageRef}`, { notFound: "INTERNAL" });
  } finally {
    // v: also drop the anonymous volumes an image's VOLUME instruction created.
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
};
