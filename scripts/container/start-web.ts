// The container image's web command (`node start-web.mjs`, bundled by bundle.mjs): applies the
// migrations, seeds the administrator and the example project, then serves the standalone
// Next.js build (server.js) in this process. The worker is the same image's `node worker.mjs`.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrateDatabase } from "@/lib/database/migrate";
import { getLauncherEnv } from "@/lib/env";

const settings = getLauncherEnv();
if (!settings.DATABASE_URL) {
  console.error("[layerboard] DATABASE_URL is required in the container (the embedded Postgres is for `npm start`)");
  process.exit(1);
}
if (!settings.LAYERBOARD_ADMIN_PASSWORD) {
  console.error("[layerboard] LAYERBOARD_ADMIN_PASSWORD is required in the container: the first administrator signs in with it");
  process.exit(1);
}

const started = Date.now();
migrateDatabase(settings.DATABASE_URL);
console.log(`[layerboard] migrations applied (${Date.now() - started} ms)`);

// Imported after the checks: lib/db reads DATABASE_URL on first use.
const { seed } = await import("@/lib/builds/seed");
const { db } = await import("@/lib/db");
const result = await seed({ email: settings.LAYERBOARD_ADMIN_EMAIL, password: settings.LAYERBOARD_ADMIN_PASSWORD });
if (result.adminCreated) console.log(`[seed] created administrator ${settings.LAYERBOARD_ADMIN_EMAIL}`);
if (result.exampleCreated) console.log("[seed] created the example project");
if (result.exampleSkipped) console.log(`[seed] example project skipped: ${result.exampleSkipped}`);
await db.$disconnect();
// lib/db caches its client on globalThis; the server's own copy of lib/db must make its own: this
// bundle's client does not know the server's Prisma.sql fragments (another copy of the class).
delete (globalThis as { layerboardPrisma?: unknown }).layerboardPrisma;

// server.js reads PORT and HOSTNAME (the image sets HOSTNAME=0.0.0.0: the container is the boundary).
process.env.NEXT_TELEMETRY_DISABLED = "1";
await import(pathToFileURL(path.resolve("server.js")).href);
