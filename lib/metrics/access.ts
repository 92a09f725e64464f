// Who may read /api/metrics: the dedicated LAYERBOARD_METRICS_TOKEN (for Prometheus: no user
// needed), any API token or session with at least the viewer role (metrics show nothing a
// viewer cannot read), or nobody at all on the loopback opt-in (anonymous-scrape.ts).
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { authorizeRequest } from "@/lib/api/route";
import { getOpsEnv, trustsProxy } from "@/lib/env";
import { isAnonymousScrapeAllowed } from "@/lib/metrics/anonymous-scrape";

const digest = (value: string) => createHash("sha256").update(value).digest();

const isMetricsToken = (presented: string, expected: string | undefined) =>
  expected !== undefined && timingSafeEqual(digest(presented), digest(expected));

const hasCredentials = (request: Request) => request.headers.has("authorization") || /(?:^|;\s*)lb_session=/.test(request.headers.get("cookie") ?? "");

/** Resolves when the caller may scrape; throws UNAUTHENTICATED (401) or FORBIDDEN (403) otherwise. */
export const authorizeMetricsRequest = async (request: Request): Promise<void> => {
  const env = getOpsEnv();
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ") && isMetricsToken(authorization.slice(7).trim(), env.LAYERBOARD_METRICS_TOKEN)) return;
  if (!hasCredentials(request) && isAnonymousScrapeAllowed(request, env, trustsProxy())) return;
  await authorizeRequest(request, "VIEWER");
};
