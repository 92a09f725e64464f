import { describe, expect, it } from "vitest";
import { isAnonymousScrapeAllowed, isLoopbackHost } from "@/lib/metrics/anonymous-scrape";

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers: new Headers(headers) });
const optedIn = { LAYERBOARD_METRICS_ANONYMOUS: "loopback", HOSTNAME_BIND: "127.0.0.1" } as const;

describe("anonymous scrapes", () => {
  it("are allowed on the opt-in, a loopback bind and a loopback Host", () => {
    expect(isAnonymousScrapeAllowed(request("http://127.0.0.1:3000/api/metrics"), optedIn, false)).toBe(true);
    expect(isAnonymousScrapeAllowed(request("http://x/api/metrics", { host: "localhost:3000" }), optedIn, false)).toBe(true);
    expect(isAnonymousScrapeAllowed(request("http://[::1]:3000/api/metrics"), { ...optedIn, HOSTNAME_BIND: "::1" }, false)).toBe(true);
    // Next.js fills X-Forwarded-For with the socket's remote address (and X-Forwarded-Host with the Host).
    const fromNext = { "x-forwarded-for": "::ffff:127.0.0.1", "x-forwarded-host": "127.0.0.1:3000" };
    expect(isAnonymousScrapeAllowed(request("http://127.0.0.1:3000/api/metrics", fromNext), optedIn, false)).toBe(true);
  });

  it("are refused without the opt-in, on a wildcard or unknown bind, through a proxy or at another name", () => {
    const url = "http://127.0.0.1:3000/api/metrics";
    expect(isAnonymousScrapeAllowed(request(url), { ...optedIn, LAYERBOARD_METRICS_ANONYMOUS: "off" }, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url), { ...optedIn, HOSTNAME_BIND: "0.0.0.0" }, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url), { ...optedIn, HOSTNAME_BIND: undefined }, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url), optedIn, true)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url, { "x-forwarded-for": "203.0.113.9" }), optedIn, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url, { "x-forwarded-for": "127.0.0.1, 203.0.113.9" }), optedIn, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url, { forwarded: "for=203.0.113.9" }), optedIn, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url, { "x-real-ip": "127.0.0.1" }), optedIn, false)).toBe(false);
    expect(isAnonymousScrapeAllowed(request(url, { host: "layerboard.example:3000" }), optedIn, false)).toBe(false);
  });

  it("knows loopback names from others", () => {
    expect(["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", " 127.0.0.1"].map(isLoopbackHost)).toEqual([true, true, true, true, true, true, true]);
    expect(["0.0.0.0", "::", "10.0.0.1", "localhost.example", "1127.0.0.1", "", undefined].map(isLoopbackHost)).toEqual([false, false, false, false, false, false, false]);
  });
});
