// The app's public origin as the client addressed it, for absolute links in exports. Behind
// a trusted reverse proxy (LAYERBOARD_TRUST_PROXY) the forwarded headers say what the browser
// or CI used; otherwise a client's X-Forwarded-* could put any host into a shared report.
import { trustsProxy } from "@/lib/env";
import { requestHost } from "@/lib/security/headers";

export const requestOriginOf = (request: Request, trustProxy: boolean): string => {
  const url = new URL(request.url);
  const host = requestHost(request.headers, trustProxy) || url.host;
  const forwardedProto = trustProxy ? request.headers.get("x-forwarded-proto")?.split(",")[0].trim() : undefined;
  const proto = forwardedProto || url.protocol.replace(":", "");
  return /^[A-Za-z0-9.:[\]-]+$/.test(host) && /^https?$/.test(proto) ? `${proto}://${host}` : url.origin;
};

export const getRequestOrigin = (request: Request): string => requestOriginOf(request, trustsProxy());
