import { describe, expect, it } from "vitest";
import { requestOriginOf } from "@/lib/reports/request-origin";
import { contentSecurityPolicy, createNonce, crossSiteReason, isTlsRequest, requestHost, securityHeaders } from "./headers";

// What Next.js hands the app: it fills X-Forwarded-Host/-Proto in from the connection when the
// client sent none, and passes a client's own ones on unchanged.
const nextHeaders = (sent: Record<string, string> = {}) =>
  new Headers({ host: "localhost:3000", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...sent });

describe("isTlsRequest", () => {
  it("believes X-Forwarded-Proto only from a trusted proxy", () => {
    expect(isTlsRequest(nextHeaders({ "x-forwarded-proto": "https" }), true)).toBe(true);
    expect(isTlsRequest(nextHeaders({ "x-forwarded-proto": "https, http" }), true)).toBe(true);
    expect(isTlsRequest(nextHeaders({ "x-forwarded-proto": "https" }), false)).toBe(false);
    expect(isTlsRequest(nextHeaders(), true)).toBe(false);
    expect(isTlsRequest(new Headers(), true)).toBe(false);
  });
});

describe("requestHost", () => {
  it("is the Host header unless a trusted proxy names the public host", () => {
    const headers = nextHeaders({ "x-forwarded-host": "layerboard.example.com, inner" });
    expect(requestHost(headers, false)).toBe("localhost:3000");
    expect(requestHost(headers, true)).toBe("layerboard.example.com");
    expect(requestHost(new Headers({ host: "localhost:3000" }), true)).toBe("localhost:3000");
  });
});

describe("crossSiteReason", () => {
  it("accepts our own pages, typed URLs and clients without an Origin", () => {
    expect(crossSiteReason(nextHeaders({ origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), false)).toBeNull();
    expect(crossSiteReason(nextHeaders({ "sec-fetch-site": "none" }), false)).toBeNull();
    expect(crossSiteReason(nextHeaders(), false)).toBeNull();
  });

  it("refuses another site, a sibling subdomain, a foreign or null Origin", () => {
    expect(crossSiteReason(nextHeaders({ "sec-fetch-site": "cross-site" }), false)).toBe("Sec-Fetch-Site: cross-site");
    expect(crossSiteReason(nextHeaders({ "sec-fetch-site": "same-site" }), false)).toBe("Sec-Fetch-Site: same-site");
    expect(crossSiteReason(nextHeaders({ origin: "https://evil.example" }), false)).toMatch(/^Origin https:\/\/evil.example is not this host \(localhost:3000\)$/);
    expect(crossSiteReason(nextHeaders({ origin: "null" }), false)).toMatch(/^Origin null is not this host/);
  });

  it("compares the Origin with X-Forwarded-Host only behind a trusted proxy", () => {
    const forged = nextHeaders({ origin: "https://evil.example", "x-forwarded-host": "evil.example" });
    expect(crossSiteReason(forged, false)).toMatch(/X-Forwarded-Host is ignored without LAYERBOARD_TRUST_PROXY=true/);
    expect(crossSiteReason(forged, true)).toBeNull();
    const proxied = nextHeaders({ host: "127.0.0.1:3000", origin: "https://layerboard.example.com", "x-forwarded-host": "layerboard.example.com" });
    expect(crossSiteReason(proxied, true)).toBeNull();
    expect(crossSiteReason(proxied, false)).not.toBeNull();
  });
});

describe("requestOriginOf (absolute links in reports)", () => {
  const request = (sent: Record<string, string>) => new Request("http://localhost:3000/api/builds/b1/report", { headers: nextHeaders(sent) });

  it("ignores X-Forwarded-Host and -Proto unless the proxy is trusted", () => {
    const forwarded = request({ "x-forwarded-host": "layerboard.example.com", "x-forwarded-proto": "https" });
    expect(requestOriginOf(forwarded, false)).toBe("http://localhost:3000");
    expect(requestOriginOf(forwarded, true)).toBe("https://layerboard.example.com");
    expect(requestOriginOf(request({ "x-forwarded-host": "evil.example/<x>" }), true)).toBe("http://localhost:3000");
  });
});

describe("security headers", () => {
  it("forbid framing, sniffing, cross-origin referrers and unused browser features", () => {
    const headers = securityHeaders({ nonce: "abc", tls: false, dev: false });
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("same-origin");
    expect(headers["Permissions-Policy"]).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
  });

  it("allow only scripts with this response's nonce, eval in development only, and upgrade requests over TLS only", () => {
    const csp = contentSecurityPolicy({ nonce: "n0nce", tls: false, dev: false });
    expect(csp).toContain("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
    expect(csp).toContain("style-src 'self' 'nonce-n0nce'");
    expect(csp).not.toMatch(/unsafe-eval|upgrade-insecure-requests/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(contentSecurityPolicy({ nonce: "n0nce", tls: true, dev: false })).toMatch(/; upgrade-insecure-requests$/);
    expect(contentSecurityPolicy({ nonce: "n0nce", tls: false, dev: true })).toContain("'strict-dynamic' 'unsafe-eval'");
  });

  it("use a fresh 128-bit nonce every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
