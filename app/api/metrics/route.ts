import { errorResponse } from "@/lib/api/route";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { getMetricsSnapshot } from "@/lib/data/metrics";
import { authorizeMetricsRequest } from "@/lib/metrics/access";
import { renderMetrics } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

// Prometheus scrapes (text format 0.0.4): LAYERBOARD_METRICS_TOKEN, an API token or a session;
// anonymous only on the loopback opt-in (README "Monitoring"). Read from Postgres per scrape.
export const GET = async (request: Request) => {
  try {
    await authorizeMetricsRequest(request);
    const snapshot = await getMetricsSnapshot({ heartbeatTimeoutS: getEnv().LAYERBOARD_HEARTBEAT_TIMEOUT_S });
    const { text, contentType } = await renderMetrics(snapshot);
    return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    // Unexpected errors are logged once, by errorResponse (lib/errors.ts toErrorInfo).
    if (isAppError(error)) getLogger().debug({ code: error.code }, "[metrics] scrape refused");
    return errorResponse(error);
  }
};
