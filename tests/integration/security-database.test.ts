// Database hardening (issue 14, attack rows 5 and 6): the embedded Postgres has a random
// password kept in its data directory (0600), listens on loopback only, and an old data
// directory on the fixed password is migrated; a stalled database (its processes SIGSTOPped)
// makes the route handlers answer 503 DATABASE_UNAVAILABLE within seconds, then recover.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { LEGACY_PASSWORD, passwordFileOf, startEmbeddedPostgres, type DatabaseHandle } from "@/lib/database/embedded-postgres";
import { findFreePort } from "@/lib/database/free-port";
import { startPrivatePostgres, type PrivatePostgres } from "@/lib/database/private-postgres";
import { createPrismaClient, type PrismaClient } from "@/lib/db";
import { callRoute } from "@/lib/harness/call-route";
import { createToken } from "../support/pipeline";
import { GET as getProjects } from "@/app/api/projects/route";
import { GET as getBuilds } from "@/app/api/builds/route";

const withPassword = (url: string, password: string) => {
  const target = new URL(url);
  target.password = encodeURIComponent(password);
  target.pathname = "/postgres";
  return target.toString();
};

/** Resolves with the Postgres error code of a log-in attempt, or "ok". */
const logIn = async (url: string): Promise<string> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return "ok";
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).message);
  } finally {
    await client.end().catch(() => undefined);
  }
};

const setting = async (url: string, name: string): Promise<string> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ value: string }>("SELECT current_setting($1) AS value", [name])).rows[0].value;
  } finally {
    await client.end();
  }
};

describe("embedded Postgres credentials", () => {
  let parent: string;
  let dataDir: string;
  let port: number;
  let handle: DatabaseHandle | undefined;

  beforeAll(async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "lbs-pg-"));
    fs.chmodSync(parent, 0o755); // the server runs as the `postgres` user when the tests run as root
    dataDir = path.join(parent, "data");
    port = await findFreePort();
  });

  afterAll(async () => {
    await handle?.stop().catch(() => undefined);
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it("gives a fresh data directory a random password in a 0600 file, refuses the fixed one, and listens on loopback only", async () => {
    handle = await startEmbeddedPostgres({ dataDir, port, database: "layerboard" });
    const file = passwordFileOf(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(password).not.toBe(LEGACY_PASSWORD);
    expect(handle.url).not.toContain(`:${LEGACY_PASSWORD}@`);
    expect(await logIn(withPassword(handle.url, password))).toBe("ok");
    expect(await logIn(withPassword(handle.url, LEGACY_PASSWORD))).toBe("28P01"); // password authentication failed
    expect(await setting(handle.url, "listen_addresses")).toBe("127.0.0.1");
    expect(await setting(handle.url, "unix_socket_directories")).toBe("");
    expect(await setting(handle.url, "password_encryption")).toBe("scram-sha-256");
  });

  it("keeps the password across restarts", async () => {
    const before = fs.readFileSync(passwordFileOf(dataDir), "utf8");
    await handle!.stop();
    handle = await startEmbeddedPostgres({ dataDir, port, database: "layerboard" });
    expect(fs.readFileSync(passwordFileOf(dataDir), "utf8")).toBe(before);
    expect(await logIn(handle.url)).toBe("ok");
  });

  it("migrates a data directory that still uses the fixed password to a new random one", async () => {
    // What a data directory made before this change looks like: the fixed password, no file.
    const admin = new pg.Client({ connectionString: handle!.url });
    await admin.connect();
    await admin.query(`ALTER ROLE layerboard PASSWORD '${LEGACY_PASSWORD}'`);
    await admin.end();
    fs.rmSync(passwordFileOf(dataDir));
    await handle!.stop();
    expect(await logIn(withPassword(handle!.url, LEGACY_PASSWORD))).not.toBe("ok"); // stopped

    handle = await startEmbeddedPostgres({ dataDir, port, database: "layerboard" });
    const file = passwordFileOf(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.new`)).toBe(false);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password).not.toBe(LEGACY_PASSWORD);
    expect(await logIn(withPassword(handle.url, LEGACY_PASSWORD))).toBe("28P01");
    expect(await logIn(withPassword(handle.url, password))).toBe("ok");
    // The data survived: the app's database is still there.
    expect(await logIn(handle.url)).toBe("ok");
  });
});

// The processes of the server whose postmaster has this pid: it and its children (backends,
// background workers), so that connections already open stall too.
const clusterProcesses = (postmaster: number): number[] => {
  const pids = [postmaster];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
};

const signal = (pids: number[], name: NodeJS.Signals) => {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone
    }
  }
};

describe("a stalled database", () => {
  const cache = globalThis as unknown as { layerboardPrisma?: PrismaClient };
  let postgres: PrivatePostgres;
  let client: PrismaClient;
  let shared: PrismaClient | undefined;
  let token: string;
  let postmaster: number;
  let stopped: number[] = [];
  // Small limits so that the test is quick; the defaults (5 s connect, 15 s statement) work the same way.
  const timeouts = { connectMs: 2000, statementMs: 3000, idleInTransactionMs: 3000 };
  const BOUND_MS = 10_000;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    client = createPrismaClient(postgres.url, timeouts);
    // The route handlers use the cached client: point it at the private database for this block.
    shared = cache.layerboardPrisma;
    cache.layerboardPrisma = client;
    token = await createToken("VIEWER");
    const dataDirectory = await setting(postgres.url, "data_directory");
    postmaster = Number(fs.readFileSync(path.join(dataDirectory, "postmaster.pid"), "utf8").split("\n")[0]);
  });

  afterAll(async () => {
    signal(stopped, "SIGCONT");
    cache.layerboardPrisma = shared;
    await client?.$disconnect().catch(() => undefined);
    await postgres?.remove();
  });

  const timed = async (call: () => Promise<Response>) => {
    const started = Date.now();
    const response = await call();
    return { response, ms: Date.now() - started, body: (await response.json()) as { error?: { code: string } } };
  };

  it("answers 503 DATABASE_UNAVAILABLE within seconds while the server is stopped, then works again", async () => {
    expect((await callRoute(getProjects, { url: "/api/projects", token })).status).toBe(200);

    stopped = clusterProcesses(postmaster);
    expect(stopped.length).toBeGreaterThan(1);
    signal(stopped, "SIGSTOP");
    try {
      // An open pooled connection whose backend stalls: the client's query timeout.
      const projects = await timed(() => callRoute(getProjects, { url: "/api/projects", token }));
      expect(projects.response.status).toBe(503);
      expect(projects.body.error?.code).toBe("DATABASE_UNAVAILABLE");
      expect(projects.ms).toBeLessThan(BOUND_MS);

      const builds = await timed(() => callRoute(getBuilds, { url: "/api/builds", token }));
      expect(builds.response.status).toBe(503);
      expect(builds.body.error?.code).toBe("DATABASE_UNAVAILABLE");
      expect(builds.ms).toBeLessThan(BOUND_MS);

      // A new connection to a postmaster that does not answer: the connect timeout.
      const fresh = createPrismaClient(postgres.url, timeouts);
      const started = Date.now();
      const error = await fresh.$queryRaw`SELECT 1`.then(() => null, (caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      const { isDatabaseUnavailable } = await import("@/lib/errors");
      expect(isDatabaseUnavailable(error)).toBe(true);
      await fresh.$disconnect().catch(() => undefined);
    } finally {
      signal(stopped, "SIGCONT");
      stopped = [];
    }

    const again = await timed(() => callRoute(getProjects, { url: "/api/projects", token }));
    expect(again.response.status).toBe(200);
  });

  it("a statement that runs too long is cancelled by the server and answers 503", async () => {
    const started = Date.now();
    const error = await client.$queryRaw`SELECT pg_sleep(30)`.then(() => null, (caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    const { toErrorInfo } = await import("@/lib/errors");
    expect(toErrorInfo(error, "test")).toMatchObject({ code: "DATABASE_UNAVAILABLE", status: 503 });
    // The pool is fine afterwards.
    expect(await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });
});
