import { apiRoute } from "@/lib/api/route";
import { getDiskUsage } from "@/lib/docker/disk-usage";

// The engine's disk usage (GET /system/df), summed per kind.
export const GET = apiRoute("VIEWER", async () => ({ diskUsage: await getDiskUsage() }));
