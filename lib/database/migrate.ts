// Applies prisma/migrations with `prisma migrate deploy` (the launcher at start-up, `npm run
// db:migrate`, the tests' and benchmarks' fresh databases).
import { spawnSync } from "node:child_process";
import path from "node:path";

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
