// Seeds the administrator and the example project (run by the launcher at start-up).
import { seed } from "@/lib/builds/seed";
import { getEnv } from "@/lib/env";

const { LAYERBOARD_ADMIN_EMAIL: email, LAYERBOARD_ADMIN_PASSWORD: password } = getEnv();
if (!password) throw new Error("LAYERBOARD_ADMIN_PASSWORD is required to seed");
const result = await seed({ email, password });
if (result.adminCreated) console.log(`[seed] created administrator ${email}`);
if (result.exampleCreated) console.log("[seed] created the example project");
if (result.exampleSkipped) console.log(`[seed] example project skipped: ${result.exampleSkipped}`);
process.exit(0);
