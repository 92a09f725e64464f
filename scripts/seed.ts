// Seeds the administrator and the example project (run by the launcher at start-up).
import { seed } from "@/lib/data/seed";

const email = process.env.LAYERBOARD_ADMIN_EMAIL ?? "admin@localhost";
const password = process.env.LAYERBOARD_ADMIN_PASSWORD;
if (!password) throw new Error("LAYERBOARD_ADMIN_PASSWORD is required to seed");
const result = await seed({ email, password });
if (result.adminCreated) console.log(`[seed] created administrator ${email}`);
if (result.exampleCreated) console.log("[seed] created the example project");
if (result.exampleSkipped) console.log(`[seed] example project skipped: ${result.exampleSkipped}`);
process.exit(0);
