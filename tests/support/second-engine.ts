// A second dockerd on this machine, on its own socket and data root, that a test may stop,
// start again on the same data root, kill, or load images into; the main engine is never
// touched. Used by the fault-tolerance tests and by the two-engine pipeline test.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BASE_IMAGE, processesMatching, sleep, waitFor } from "./pipeline";

export type SecondEngine = {
  /** DOCKER_HOST for this engine (unix://…). */
  host: string;
  dir: string;
  isRunning: () => boolean;
  start: () => Promise<void>;
  /** A clean shutdown (SIGTERM, then SIGKILL after 20 s). */
  stop: () => Promise<void>;
  /** A crash: SIGKILL to dockerd and its containerd at once. */
  kill: () => Promise<void>;
  /** Copies `image` in from the main engine (`docker save | docker load`): a second engine starts with no images. */
  copyImageIn: (image?: string) => Promise<void>;
  /** Stops the engine, unmounts what it left mounted and deletes its directories. */
  remove: () => Promise<void>;
};

const run = (command: string, args: string[], options: { input?: NodeJS.ReadableStream } = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [options.input ? "pipe" : "ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk) => (out += chunk));
    child.stderr!.on("data", (chunk) => (err += chunk));
    if (options.input) options.input.pipe(child.stdin!);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${err}`))));
  });

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

/**
 * A dockerd of its own under a fresh /tmp directory (short paths: unix sockets are limited to
 * 108 bytes), in its own network namespace. It manages its own containerd; with `--bridge
 * none` builds on it need LAYERBOARD_NETWORK_MODE=host (and have no network beyond loopback).
 */
export const createSecondEngine = (): SecondEngine => {
  const dir = fs.mkdtempSync("/tmp/lbf-");
  const socket = path.join(dir, "docker.sock");
  const host = `unix://${socket}`;
  let child: ChildProcess | undefined;

  const isRunning = () => !!child && child.exitCode === null && child.signalCode === null;

  const answers = async () => run("docker", ["-H", host, "version", "--format", "{{.Server.Version}}"]).then(() => true, () => false);

  const start = async () => {
    if (isRunning()) return;
    const log = fs.openSync(path.join(dir, "dockerd.log"), "a");
    // Detached: its own process group, so kill() can take dockerd and its containerd together.
    // Its own network namespace (unshare -n, then exec): a dockerd started with `--bridge none`
    // deletes any interface named docker0 at start-up, which in the host's namespace is the
    // main engine's bridge (every RUN on the main engine then fails with "could not find
    // bridge docker0"). In its own namespace it sees only its own loopback.
    child = spawn(
      "unshare",
      [
        "--net",
        "sh",
        "-c",
        'ip link set lo up && exec "$0" "$@"',
        "dockerd",
        "--data-root", path.join(dir, "data"),
        "--exec-root", path.join(dir, "exec"),
        "--pidfile", path.join(dir, "docker.pid"),
        "-H", host,
        "--bridge", "none",
        "--iptables=false",
        "--ip-masq=false",
      ],
      { detached: true, stdio: ["ignore", log, log] },
    );
    fs.closeSync(log);
    const started = child;
    await waitFor("the second dockerd to answer", async () => {
      if (started.exitCode !== null) throw new Error(`dockerd exited ${started.exitCode}: ${fs.readFileSync(path.join(dir, "dockerd.log"), "utf8").slice(-2000)}`);
      return answers();
    }, 60_000, 250);
  };

  const signalGroup = (signal: NodeJS.Signals) => {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  const stop = async () => {
    if (!child || !isRunning()) return;
    const current = child;
    current.kill("SIGTERM");
    const done = await Promise.race([exited(current).then(() => true), sleep(20_000).then(() => false)]);
    if (!done) signalGroup("SIGKILL");
    await exited(current);
    // dockerd stops the containerd it manages on a clean exit; make sure of it.
    signalGroup("SIGKILL");
  };

  const kill = async () => {
    if (!child) return;
    const current = child;
    signalGroup("SIGKILL");
    await exited(current);
  };

  const copyImageIn = async (image = BASE_IMAGE) => {
    const save = spawn("docker", ["save", image], { stdio: ["ignore", "pipe", "inherit"] });
    await run("docker", ["-H", host, "load", "-q"], { input: save.stdout! });
  };

  const remove = async () => {
    await stop().catch(() => undefined);
    // The killed engine may leave its containerd and shims: they are in its process group or
    // carry its exec root on their command line.
    for (const pid of processesMatching(path.join(dir, "exec"))) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone
      }
    }
    const mounts = fs
      .readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" ")[1])
      .filter((mount) => mount?.startsWith(dir + "/"))
      .sort((a, b) => b.length - a.length);
    for (const mount of mounts) await run("umount", ["-l", mount]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  return { host, dir, isRunning, start, stop, kill, copyImageIn, remove };
};

/** A second engine, started, with the base image loaded. */
export const startSecondEngine = async (): Promise<SecondEngine> => {
  const engine = createSecondEngine();
  try {
    await engine.start();
    await engine.copyImageIn();
  } catch (error) {
    await engine.remove();
    throw error;
  }
  return engine;
};
