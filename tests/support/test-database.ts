// A fresh, migrated database per test run on a real Postgres: TEST_DATABASE_URL's server,
// or an embedded one of this run's own.
import { rm } from "node:fs/promises";
import net from "node:net";
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

export const findFreePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });

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
