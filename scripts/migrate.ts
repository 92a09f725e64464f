// Applies prisma/migrations with `prisma migrate deploy` (also used at start-up).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureDatabase } from "./database";

export const migrateDatabase = (url: string): void => {
  const prisma = path.resolve("node_modules", ".bin", "prisma");
  const result = spawnSync(prisma, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const db = await ensureDatabase();
  try {
    migrateDatabase(db.url);
    console.log("migrations applied");
  } finally {
    await db.stop();
  }
}
