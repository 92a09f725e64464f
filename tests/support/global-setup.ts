// Integration tests run against a real Postgres (a fresh migrated database per run) and a
// real Docker engine. A missing engine or database fails the run; nothing is skipped.
import { createDockerClient } from "../../lib/docker/client";
import { createTestDatabase } from "./test-database";

export default async function setup() {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  // The tests' workers must not run the scheduled retention job under other tests' builds
  // (tests/integration/retention.test.ts runs it itself).
  process.env.LAYERBOARD_RETENTION_CRON ??= "off";
  try {
    await createDockerClient().ping();
  } catch (error) {
    await database.drop();
    throw new Error(`Docker engine unreachable (${String(error)}): run .ci/run or start dockerd`);
  }
  return () => database.drop();
}
