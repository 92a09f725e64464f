// End-to-end tests: a fresh database, the production build of the app with one worker,
// served on a free port. Tests read E2E_BASE_URL and sign in with E2E_ADMIN_*.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { findFreePort } from "@/lib/database/free-port";
import { createTestDatabase } from "./test-database";

const bin = (name: string) => path.resolve("node_modules", ".bin", name);

const waitForHttp = async (url: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
};

export default async function setup() {
  const database = await createTestDatabase();
  const port = await findFreePort();
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    LAYERBOARD_ADMIN_EMAIL: "admin@e2e.test",
    LAYERBOARD_ADMIN_PASSWORD: "e2e-admin-password",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
  };
  if (process.env.LAYERBOARD_E2E_REUSE_BUILD !== "1" || !existsSync(".next/BUILD_ID")) {
    const build = spawnSync(bin("next"), ["build"], { env, stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const seed = spawnSync(bin("tsx"), ["--conditions=react-server", "scripts/seed.ts"], { env, stdio: "inherit" });
  if (seed.status !== 0) throw new Error("seeding the e2e database failed");

  const children: ChildProcess[] = [
    spawn(bin("tsx"), ["--conditions=react-server", "scripts/worker.ts"], { env, stdio: "inherit" }),
    spawn(bin("next"), ["start", "-p", String(port)], { env, stdio: "inherit" }),
  ];
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/api/health`, 60_000);
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_ADMIN_EMAIL = env.LAYERBOARD_ADMIN_EMAIL;
  process.env.E2E_ADMIN_PASSWORD = env.LAYERBOARD_ADMIN_PASSWORD;
  process.env.DATABASE_URL = database.url;

  return async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
          }),
      ),
    );
    await database.drop();
  };
}
