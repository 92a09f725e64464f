// `npm run token -- <name> [ADMIN|BUILDER|VIEWER]`: prints a new API token (for CI, the CLI).
import { embeddedDatabaseUrl } from "@/lib/database/embedded-postgres";

process.env.DATABASE_URL ??= embeddedDatabaseUrl();
const { findFirstAdmin } = await import("@/lib/data/users");
const { createApiToken } = await import("@/lib/data/api-tokens");
const [name = "cli", role = "BUILDER"] = process.argv.slice(2);
if (!["ADMIN", "BUILDER", "VIEWER"].includes(role)) throw new Error("role is ADMIN, BUILDER or VIEWER");
const admin = await findFirstAdmin();
if (!admin) throw new Error("no administrator yet: start the app once (npm start)");
const { token } = await createApiToken({ name, role: role as "ADMIN" | "BUILDER" | "VIEWER", createdById: admin.id });
console.log(token);
process.exit(0);
