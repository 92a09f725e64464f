// One command for the whole app: (start) the production build when the sources changed →
// database (embedded unless DATABASE_URL is set) → migrations → seed → one build worker →
// Next.js (`next start`, or `next dev` for `npm run dev`).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDatabase } from "@/lib/database/embedded-postgres";
import { migrateDatabase } from "@/lib/database/migrate";
import { getDataDir, getLauncherEnv } from "@/lib/env";
import { findRebuildReason, fingerprintSources, writeBuildStamp } from "@/lib/launcher/production-build";
import { getLogger } from "@/lib/log";

const mode = process.argv[2] === "start" ? "start" : "dev";
// JSON lines from `npm start`; `npm run dev` makes them readable (the children inherit it).
if (mode === "dev") process.env.LAYERBOARD_LOG_FORMAT ||= "pretty";
const log = getLogger();
const bin = (name: string) => path.resolve("node_modules", ".bin", name);
const settings = getLauncherEnv();
const dataDir = getDataDir();
const serverTsx = [bin("tsx"), "--conditions=react-server"];

const adminPassword = () => {
  if (settings.LAYERBOARD_ADMIN_PASSWORD) return settings.LAYERBOARD_ADMIN_PASSWORD;
  const file = path.join(dataDir, "admin-password");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(12).toString("base64url")}\n`, { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
};

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) => {
  const result = spawnSync(command, args, { env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} failed (exit ${result.status})`);
};

// Before the database and the worker: a build that fails stops here with nothing to clean up.
// Fingerprinted before building, so a file saved during the build makes the next start rebuild.
if (mode === "start") {
  const root = process.cwd();
  const fingerprint = fingerprintSources(root);
  const reason = findRebuildReason(root, fingerprint);
  if (reason) {
    log.info(`[layerboard] building the production app (${reason})`);
    const started = Date.now();
    // What `npm run build` does; prisma generate needs a URL, never a database.
    const buildEnv = {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL || "postgresql://generate-only@localhost/none",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    try {
      run(bin("prisma"), ["generate"], buildEnv);
      run(bin("next"), ["build"], buildEnv);
    } catch (error) {
      log.error(`[layerboard] ${(error as Error).message}: the production build failed, nothing was started`);
      process.exit(1);
    }
    writeBuildStamp(root, fingerprint);
    log.info(`[layerboard] built in ${Math.round((Date.now() - started) / 1000)} s`);
  } else {
    log.info("[layerboard] the production build in .next is up to date with the sources");
  }
}

const children: ChildProcess[] = [];
const db = await ensureDatabase();
log.info(`[layerboard] database: ${db.isEmbedded ? `embedded PostgreSQL (data in ${path.join(dataDir, "postgres")})` : "DATABASE_URL"}`);
migrateDatabase(db.url);

const password = adminPassword();
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: db.url,
  LAYERBOARD_ADMIN_EMAIL: settings.LAYERBOARD_ADMIN_EMAIL,
  LAYERBOARD_ADMIN_PASSWORD: password,
  // The web process learns its bind from here (/api/metrics' loopback opt-in, lib/metrics/access.ts).
  HOSTNAME_BIND: settings.HOSTNAME_BIND,
  NEXT_TELEMETRY_DISABLED: "1",
};
run(serverTsx[0], [...serverTsx.slice(1), "scripts/seed.ts"], env);
if (!settings.LAYERBOARD_ADMIN_PASSWORD)
  log.info(`[layerboard] sign in as ${env.LAYERBOARD_ADMIN_EMAIL} with the password in ${path.join(dataDir, "admin-password")}`);

// The bundled example builds on a local Debian base image when no registry answers.
if (settings.LAYERBOARD_SKIP_BASE_IMAGE !== "1") {
  const baseImage = spawn("bash", ["scripts/base-image.sh"], { env, stdio: ["ignore", "inherit", "inherit"] });
  baseImage.on("exit", (code) => code && log.warn("[layerboard] the local base image could not be made; builds of the example need it"));
}

for (let i = 0; i < settings.LAYERBOARD_WORKERS; i++) {
  children.push(spawn(serverTsx[0], [...serverTsx.slice(1), "scripts/worker.ts"], { env, stdio: "inherit" }));
}

const port = String(settings.PORT);
// 127.0.0.1 unless HOSTNAME_BIND says otherwise: other machines reach it only when asked for.
const hostname = settings.HOSTNAME_BIND;
children.push(spawn(bin("next"), [mode, "-p", port, "-H", hostname], { env, stdio: "inherit" }));
const isWildcard = hostname === "0.0.0.0" || hostname === "::";
const isLoopback = hostname === "127.0.0.1" || hostname === "::1" || hostname === "localhost";
const shownHost = isWildcard ? "localhost" : hostname.includes(":") ? `[${hostname}]` : hostname;
const reach = isWildcard ? " (listening on every address)" : isLoopback ? " (this machine only; HOSTNAME_BIND=0.0.0.0 serves other machines)" : "";
log.info(`[layerboard] http://${shownHost}:${port}${reach}`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 40_000).unref();
    })),
  );
  await db.stop();
  process.exit(0);
};
// embedded-postgres installs async-exit-hook, which stops the database at once on a signal;
// the worker must finish (or mark its builds interrupted) first, so the order is ours.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
for (const child of children) child.on("exit", (code) => !stopping && (log.error(`[layerboard] a process exited (${code}); stopping`), void shutdown()));
