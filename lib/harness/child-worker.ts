// `npm run worker` as a child process, for the integration tests and the load benchmark.
import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export type ChildWorker = {
  child: ChildProcess;
  pid: number;
  /** The worker id it printed once it was taking builds. */
  id: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const STOP_GRACE_MS = 20_000;

/**
 * Started by node itself (no tsx launcher in between), so that the child's pid is the
 * worker's pid and `kill -9` really kills the worker. Resolves once it is taking builds.
 */
export const startChildWorker = async (env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<ChildWorker> => {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join("scripts", "worker.ts")], {
    cwd: path.resolve("."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child worker did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const started = /\[worker (\S+)\] taking builds/.exec(output);
      if (started) {
        clearTimeout(timer);
        resolve(started[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the child worker exited early:\n${output}`));
    });
  });
  return { child, pid: child.pid!, id, output: () => output, exited };
};

/** SIGTERM (running builds finish within the worker's grace), SIGKILL after 20 s. */
export const stopChildWorker = async (worker: ChildWorker | undefined) => {
  if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    worker.exited.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
  ]);
  clearTimeout(timer);
  if (!done) worker.child.kill("SIGKILL");
};
