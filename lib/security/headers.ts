// The security headers of every response (set by proxy.ts) and what a request says about
// where it came from. Pure functions of the request headers: proxy.ts, route handlers, server
// actions and unit tests share them. No `import "server-only"`: the proxy bundle loads it.

const firstValue = (value: string | null) => value?.split(",")[0].trim() || null;

/**
 * Whether the browser's connection was TLS, by the X-Forwarded-Proto of a trusted proxy
 * (LAYERBOARD_TRUST_PROXY). Nothing else can tell: Next.js fills X-Forwarded-Host/-Proto in
 * from the connection only when the request has none, and derives the request URL's scheme
 * from that header, so without the trust flag an https URL may be a client's own header.
 * (`next start` serves plain HTTP; TLS without a proxy is `next dev --experimental-https`,
 * where LAYERBOARD_SECURE_COOKIES=true makes the cookie Secure.)
 */
export const isTlsRequest = (headers: Headers, trustProxy: boolean): boolean =>
  trustProxy && firstValue(headers.get("x-forwarded-proto"))?.toLowerCase() === "https";

/**
 * The host the browser addressed: X-Forwarded-Host only from a trusted proxy, the Host header
 * otherwise (Next.js fills in X-Forwarded-Host from Host when it is missing, and passes on a
 * client's own one unchanged).
 */
export const requestHost = (headers: Headers, trustProxy: boolean): string | null =>
  (trustProxy ? firstValue(headers.get("x-forwarded-host")) : null) ?? headers.get("host");

// "null" (sandboxed frames, file:, data:) and garbage never match our host.
const originHost = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/**
 * Why a browser request that changes something did not come from one of our own pages, or
 * null when it did: Sec-Fetch-Site other than same-origin (or none: typed, bookmarked), or an
 * Origin whose host is not the one the request was addressed to.
 */
export const crossSiteReason = (headers: Headers, trustProxy: boolean): string | null => {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return `Sec-Fetch-Site: ${fetchSite}`;
  const origin = headers.get("origin");
  if (!origin) return null;
  const host = requestHost(headers, trustProxy);
  const fromHost = originHost(origin);
  if (fromHost === host) return null;
  // A proxy that rewrites Host and names the public host only in X-Forwarded-Host lands here.
  const wouldMatchForwarded = !trustProxy && fromHost !== null && fromHost === firstValue(headers.get("x-forwarded-host"));
  return `Origin ${origin} is not this host (${host})${wouldMatchForwarded ? "; X-Forwarded-Host is ignored without LAYERBOARD_TRUST_PROXY=true" : ""}`;
};

/** 128 random bits, base64: unguessable, and fresh for every response. */
export const createNonce = (): string => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));

/**
 * The Content-Security-Policy of a response. Scripts: only those carrying this response's
 * nonce (Next.js puts it on its own scripts, read from this header on the request) and what
 * they load ('strict-dynamic'). Style elements need the nonce too; style attributes stay
 * allowed (server-rendered `style=""` on progress bars, colour dots and charts; nonces cannot
 * cover attributes). No framing by anyone (clickjacking), no plugins, no <base>, forms post
 * only to us. `next dev` needs eval and injects unnonced styles.
 */
export const contentSecurityPolicy = ({ nonce, tls, dev }: { nonce: string; tls: boolean; dev: boolean }): string =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain HTTP this would send the page's own requests to an https:// that is not there.
    ...(tls ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

/** Every response's security headers (the CSP with this response's nonce). */
export const securityHeaders = (options: { nonce: string; tls: boolean; dev: boolean }): Record<string, string> => ({
  "Content-Security-Policy": contentSecurityPolicy(options),
  // For browsers without CSP's frame-ancestors.
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  // Full URLs to ourselves only: share-link tokens never leave in a Referer. (Not no-referrer:
  // that would make the browser send `Origin: null` on our own form posts.)
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()",
});
