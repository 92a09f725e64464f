import { beforeEach, describe, expect, it, vi } from "vitest";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError, fieldsError } from "@/lib/errors";
import { runAction } from "./result";

// The request the action runs for: one from our own page unless a test says otherwise.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));
beforeEach(() => {
  request.headers = new Headers({ host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" });
});

describe("runAction", () => {
  it("returns the data of an action that succeeds", async () => {
    expect(await runAction(async () => 42)).toEqual({ ok: true, data: 42 });
  });

  it("returns a refused input as VALIDATION naming the field, with one message per field", async () => {
    const result = await runAction(async () => z.object({ password: z.string().min(10, "password needs at least 10 characters") }).parse({ password: "short" }));
    expect(result).toEqual({
      ok: false,
      error: { code: "VALIDATION", message: "password: password needs at least 10 characters", fields: { password: "password needs at least 10 characters" } },
    });
  });

  it("returns an AppError's code and message, and the fields it names", async () => {
    expect(await runAction(async () => Promise.reject(new AppError("FORBIDDEN", "this needs the admin role")))).toEqual({
      ok: false,
      error: { code: "FORBIDDEN", message: "this needs the admin role" },
    });
    expect(await runAction(async () => Promise.reject(fieldsError("That slug is taken.", { slug: "exists" }, "CONFLICT")))).toEqual({
      ok: false,
      error: { code: "CONFLICT", message: "That slug is taken.", fields: { slug: "exists" } },
    });
  });

  it("refuses a cross-site request before running the action, as the route handlers do", async () => {
    const body = vi.fn(async () => 42);
    for (const headers of <Record<string, string>[]>[
      { host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "cross-site" },
      { host: "localhost:3000", "sec-fetch-site": "same-site" },
      { host: "localhost:3000", origin: "https://evil.example" },
      { host: "localhost:3000", origin: "null" },
      // Without LAYERBOARD_TRUST_PROXY a client's X-Forwarded-Host does not make its Origin ours.
      { host: "localhost:3000", origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    ]) {
      request.headers = new Headers(headers);
      const result = await runAction(body);
      expect(result, JSON.stringify(headers)).toMatchObject({ ok: false, error: { code: "FORBIDDEN", message: expect.stringMatching(/^cross-site request refused/) } });
    }
    expect(body).not.toHaveBeenCalled();
    // Typed into the address bar or from a non-browser client without an Origin: allowed.
    request.headers = new Headers({ host: "localhost:3000", "sec-fetch-site": "none" });
    expect(await runAction(body)).toEqual({ ok: true, data: 42 });
  });

  it("lets Next.js redirects through", async () => {
    await expect(runAction(async () => redirect("/somewhere"))).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });
});
