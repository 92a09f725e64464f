import { describe, expect, it } from "vitest";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError, fieldsError } from "@/lib/errors";
import { runAction } from "./result";

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

  it("lets Next.js redirects through", async () => {
    await expect(runAction(async () => redirect("/somewhere"))).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });
});
