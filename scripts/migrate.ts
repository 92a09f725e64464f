// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database.
import { ensureDatabase } from "@/lib/database/embedded-postgres";
import { migrateDatabase } from "@/lib/database/migrate";

const database = await ensureDatabase();
try {
  migrateDatabase(database.url);
  console.log("migrations applied");
} finally {
  await database.stop();
}
