// A real registry (Debian's docker-registry, the CNCF distribution registry 2.8) on a free
// loopback port, for the registry tests: filesystem storage in a temp dir, optional htpasswd
// basic auth (bcrypt, from `htpasswd -B`), optional read-only mode. `inNetworkOf` starts it inside
// another process's network namespace (a second engine's), on the same storage, so that engine
// can pull what the first pushed; its JSON log counts the bytes each blob download sent.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { waitFor } from "./pipeline";

export type TestRegistry = {
  /** host:port as the engine and the registry API see it. */
  host: string;
  storageDir: string;
  /** Blob downloads logged since the registry started: digest → bytes written, in order. */
  blobDownloads: () => Array<{ digest: string; bytes: number }>;
  stop: () => Promise<void>;
};

export type RegistryOptions = {
  auth?: { username: string; password: string };
  readonly?: boolean;
  /** Serve this storage (another registry's) instead of a fresh one. */
  storageDir?: string;
  /** Run inside the network namespace of this pid, on this port. */
  inNetworkOf?: { pid: number; port: number };
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });

const answers = (host: string, inNetworkOf?: { pid: number }) => {
  try {
    const args = ["-s", "-o", "/dev/null", "-w", "%{http_code}", `http://${host}/v2/`];
    const code = inNetworkOf
      ? execFileSync("nsenter", [`--net=/proc/${inNetworkOf.pid}/ns/net`, "curl", ...args], { encoding: "utf8" })
      : execFileSync("curl", args, { encoding: "utf8" });
    return code === "200" || code === "401";
  } catch {
    return false;
  }
};

export const startRegistry = async (options: RegistryOptions = {}): Promise<TestRegistry> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-reg-"));
  const storageDir = options.storageDir ?? path.join(dir, "data");
  const port = options.inNetworkOf?.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  const lines = [
    "version: 0.1",
    "log:",
    "  level: info",
    "  formatter: json",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${storageDir}`,
    ...(options.readonly ? ["  maintenance:", "    readonly:", "      enabled: true"] : []),
    "http:",
    `  addr: ${host}`,
  ];
  if (options.auth) {
    const htpasswd = execFileSync("htpasswd", ["-Bbn", options.auth.username, options.auth.password], { encoding: "utf8" });
    fs.writeFileSync(path.join(dir, "htpasswd"), htpasswd);
    lines.push("auth:", "  htpasswd:", "    realm: layerboard-test", `    path: ${path.join(dir, "htpasswd")}`);
  }
  fs.writeFileSync(path.join(dir, "config.yml"), lines.join("\n") + "\n");
  const logPath = path.join(dir, "registry.log");
  const log = fs.openSync(logPath, "a");
  const command = options.inNetworkOf
    ? ["nsenter", [`--net=/proc/${options.inNetworkOf.pid}/ns/net`, "docker-registry", "serve", path.join(dir, "config.yml")]]
    : ["docker-registry", ["serve", path.join(dir, "config.yml")]];
  const child: ChildProcess = spawn(command[0] as string, command[1] as string[], { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  await waitFor(`the registry on ${host}`, () => {
    if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode}: ${fs.readFileSync(logPath, "utf8").slice(-1500)}`);
    return answers(host, options.inNetworkOf);
  }, 20_000, 100);

  const blobDownloads = () =>
    fs
      .readFileSync(logPath, "utf8")
      .split("\n")
      .filter((line) => line.includes('"response completed"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry["http.request.method"] === "GET" && /\/blobs\/sha256:[0-9a-f]{64}$/.test(String(entry["http.request.uri"])))
      .filter((entry) => entry["http.response.status"] === 200)
      .map((entry) => ({ digest: String(entry["http.request.uri"]).split("/blobs/")[1], bytes: Number(entry["http.response.written"]) }));

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    if (!options.storageDir) fs.rmSync(dir, { recursive: true, force: true });
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  return { host, storageDir, blobDownloads, stop };
};
