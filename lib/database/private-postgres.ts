// A throw-away, migrated embedded Postgres with its own data directory under /tmp and its own
// port, for the fault-tolerance tests (which stop and restart it) and the load benchmark.
// Never the shared test database or the launcher's.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type DatabaseHandle } from "./embedded-postgres";
import { findFreePort } from "./free-port";
import { migrateDatabase } from "./migrate";

export type PrivatePostgres = {
  url: string;
  port: number;
  stop: () => Promise<void>;
  /** Starts it again on the same data directory and port. */
  start: () => Promise<void>;
  /** Stops it and deletes its data. */
  remove: () => Promise<void>;
};

export const startPrivatePostgres = async (options: { port?: number; database?: string } = {}): Promise<PrivatePostgres> => {
  const port = options.port ?? (await findFreePort());
  const database = options.database ?? "layerboard";
  // Postgres runs as the `postgres` user: it must be able to reach its data directory.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "lbf-pg-"));
  fs.chmodSync(parent, 0o755);
  const dataDir = path.join(parent, "data");
  let handle: DatabaseHandle | undefined = await startEmbeddedPostgres({ dataDir, port, database });
  const url = handle.url;
  migrateDatabase(url);
  return {
    url,
    port,
    stop: async () => {
      await handle?.stop();
      handle = undefined;
    },
    start: async () => {
      handle ??= await startEmbeddedPostgres({ dataDir, port, database });
    },
    remove: async () => {
      await handle?.stop().catch(() => undefined);
      handle = undefined;
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
};
