// A fresh, migrated database per test run on a real Postgres: TEST_DATABASE_URL's server,
// or an embedded one on its own port (reused when another run already started it).
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres, type DatabaseHandle } from "../../scripts/database";
import { migrateDatabase } from "../../scripts/migrate";

const adminUrl = (url: string) => {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
};

const canConnect = async (url: string) => {
  const client = new pg.Client({ connectionString: adminUrl(url), connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

const withAdmin = async (url: string, sql: string) => {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

export const createTestDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  let server: DatabaseHandle | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const port = Number(process.env.LAYERBOARD_TEST_PG_PORT ?? 54339);
    serverUrl = `postgresql://layerboard:layerboard@127.0.0.1:${port}/postgres`;
    if (!(await canConnect(serverUrl))) {
      server = await startEmbeddedPostgres({ dataDir: path.resolve(".layerboard", "test-postgres"), port, database: "postgres" });
    }
  }
  const name = `layerboard_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withAdmin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  migrateDatabase(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin(serverUrl!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await server?.stop();
    },
  };
};
