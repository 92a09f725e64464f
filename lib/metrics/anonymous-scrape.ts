// Whether /api/metrics may answer without a token: only on the documented opt-in
// (LAYERBOARD_METRICS_ANONYMOUS=loopback), only while the web process is bound to a loopback
// address (so only this machine reaches it), and never through a proxy. Pure, for a unit test.
import type { OpsEnv } from "@/lib/env";

const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, "$1");

export const isLoopbackHost = (host: string | undefined | null): boolean => {
  if (!host) return false;
  const name = unbracket(host.trim().toLowerCase());
  return name === "localhost" || name === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(name);
};

// "host:port", "[::1]:port", "localhost" → the host name alone.
const hostOf = (value: string) => (value.startsWith("[") ? value.slice(0, value.indexOf("]") + 1) : value.split(":")[0]);

// Headers only a proxy sets. X-Forwarded-For is different: Next.js itself fills it with the
// socket's remote address when the request has none, so it is checked, not refused.
const PROXY_HEADERS = ["forwarded", "x-real-ip"];

const isFromLoopback = (forwardedFor: string | null) => forwardedFor === null || forwardedFor.split(",").every((address) => isLoopbackHost(address));

export const isAnonymousScrapeAllowed = (
  request: { url: string; headers: Headers },
  env: Pick<OpsEnv, "LAYERBOARD_METRICS_ANONYMOUS" | "HOSTNAME_BIND">,
  trustsProxy: boolean,
): boolean => {
  if (env.LAYERBOARD_METRICS_ANONYMOUS !== "loopback") return false;
  // Unknown or wildcard (0.0.0.0, ::) binds reach other machines.
  if (!isLoopbackHost(env.HOSTNAME_BIND)) return false;
  // A proxy in front relays other machines' requests from this one.
  if (trustsProxy || PROXY_HEADERS.some((name) => request.headers.has(name))) return false;
  if (!isFromLoopback(request.headers.get("x-forwarded-for"))) return false;
  const host = request.headers.get("host") ?? new URL(request.url).host;
  return isLoopbackHost(hostOf(host));
};
