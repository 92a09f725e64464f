// Three test projects: unit (pure code, no services), integration (real Postgres and
// Docker engine), e2e (real Chromium against the running app).
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);
// `server-only` throws outside React server bundles; tests are server code.
const resolve = {
  alias: { "@": root, "server-only": path.join(root, "node_modules/server-only/empty.js") },
};
// Every test must make at least one `expect` assertion: a loop over nothing or a guarded
// `if` that never runs fails instead of passing silently.
const expect = { requireAssertions: true };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          expect,
          include: ["lib/**/*.test.ts", "components/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          expect,
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/support/global-setup.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        resolve,
        test: {
          name: "e2e",
          expect,
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/support/e2e-setup.ts"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
