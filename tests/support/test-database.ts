// A fresh, migrated database per test run on a real Postgres: TEST_DATABASE_URL's server,
// or an embedded one of this run's own.
import { rm } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres, type DatabaseHandle } from "@/lib/database/embedded-postgres";
import { findFreePort } from "@/lib/database/free-port";
import { migrateDatabase } from "@/lib/database/migrate";

const adminUrl = (url: string) => {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
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
  // Each run gets its own server (own port and data dir): runs never stop each other's.
  const dataDir = path.resolve(".layerboard", `test-postgres-${process.pid}-${randomBytes(3).toString("hex")}`);
  if (!serverUrl) {
    server = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), database: "postgres" });
    serverUrl = adminUrl(server.url);
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
      if (server) {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
};
