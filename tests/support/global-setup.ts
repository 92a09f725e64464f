// Integration and e2e tests run against a real Postgres (DATABASE_URL, or an embedded one
// on its own port) with a freshly migrated test database, and a real Docker engine.
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type DatabaseHandle } from "../../scripts/database";
import { migrateDatabase } from "../../scripts/migrate";
import { createDockerClient } from "../../lib/docker/client";

let handle: DatabaseHandle | undefined;

const recreateDatabase = async (url: string) => {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
};

export default async function setup() {
  let url: string;
  if (process.env.TEST_DATABASE_URL) {
    url = process.env.TEST_DATABASE_URL;
  } else {
    handle = await startEmbeddedPostgres({
      dataDir: path.resolve(".layerboard", "test-postgres"),
      port: Number(process.env.LAYERBOARD_TEST_PG_PORT ?? 54339),
      database: "layerboard_test",
    });
    url = handle.url;
  }
  if (!globalThis.__layerboardTestDbReady) {
    await recreateDatabase(url);
    migrateDatabase(url);
    globalThis.__layerboardTestDbReady = true;
  }
  process.env.DATABASE_URL = url;

  // A missing engine is a failure, never a skip.
  try {
    await createDockerClient().ping();
  } catch (error) {
    throw new Error(`Docker engine unreachable (${String(error)}): run .ci/run or start dockerd`);
  }

  return async () => {
    await handle?.stop();
  };
}

declare global {
  var __layerboardTestDbReady: boolean | undefined;
}
