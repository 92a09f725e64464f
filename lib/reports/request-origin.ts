// The app's public origin as the client addressed it, for absolute links in exports.
// Behind a reverse proxy the forwarded headers say what the browser or CI used.
export const getRequestOrigin = (request: Request): string => {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host")?.split(",")[0].trim() || request.headers.get("host") || url.host;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0].trim() || url.protocol.replace(":", "");
  return /^[A-Za-z0-9.:[\]-]+$/.test(host) && /^https?$/.test(proto) ? `${proto}://${host}` : url.origin;
};
