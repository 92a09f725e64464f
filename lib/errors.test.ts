import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import * as Prisma from "@/lib/generated/prisma/internal/prismaNamespace";
import { projectSchema, variantSchema } from "@/lib/validations/build";
import { APP_ERROR_CODES, AppError, fieldsError, isAppErrorCode, isDatabaseUnavailable, statusOfCode, toErrorInfo, toFieldErrors } from "./errors";

const zodErrorOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected the value to be refused");
  return result.error;
};

const prismaError = (code: string, message = `prisma ${code}`) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: "6.19.0" });

const validVariant = { name: "multi", strategy: "MULTI_STAGE", dockerfile: "Dockerfile", builder: "BUILDKIT" };

describe("toErrorInfo", () => {
  afterEach(() => vi.restoreAllMocks());

  it("maps a zod error to VALIDATION 400 naming every field in words, with each issue and one message per form field", () => {
    const error = zodErrorOf(projectSchema, { name: "", slug: "Not A Slug!", contextKind: "DIRECTORY", contextPath: "pyapp" });
    const info = toErrorInfo(error);
    expect(info).toMatchObject({ code: "VALIDATION", status: 400 });
    expect(info.message).toMatch(/^name: .+; slug: slug is lowercase letters, digits and -/);
    expect(info.issues?.map((issue) => issue.path)).toEqual(["name", "slug"]);
    expect(info.fields).toEqual({ name: expect.any(String), slug: expect.stringContaining("slug is lowercase letters, digits and -") });
  });

  it("keeps a record key in the field message and drops a list index", () => {
    const info = toErrorInfo(zodErrorOf(variantSchema, { ...validVariant, buildArgs: { APP_ENV: "x".repeat(4097) }, smokeCommand: ["x".repeat(1025)] }));
    expect(info.issues?.map((issue) => issue.path)).toEqual(["buildArgs.APP_ENV", "smokeCommand.0"]);
    expect(info.fields).toEqual({ buildArgs: "APP_ENV: build arg value is too long", smokeCommand: "smoke command argument is too long" });
    expect(info.message).toBe("buildArgs.APP_ENV: build arg value is too long; smokeCommand.0: smoke command argument is too long");
  });

  it("does not prefix an issue about the input as a whole", () => {
    const info = toErrorInfo(zodErrorOf(z.string().min(1, "id is required"), ""));
    expect(info).toMatchObject({ code: "VALIDATION", message: "id is required", issues: [{ path: "", message: "id is required" }], fields: { form: "id is required" } });
  });

  it("keeps an AppError's code, message and status, and the issues it carries", () => {
    expect(toErrorInfo(new AppError("CONTEXT_REFUSED", 'contextPath: ".." is not allowed'))).toEqual({
      code: "CONTEXT_REFUSED",
      message: 'contextPath: ".." is not allowed',
      status: 400,
    });
    const info = toErrorInfo(fieldsError("That slug is taken.", { slug: "a project with slug x exists" }, "CONFLICT"));
    expect(info).toMatchObject({ code: "CONFLICT", status: 409, message: "That slug is taken.", fields: { slug: "a project with slug x exists" } });
    expect(info.issues).toEqual([{ path: "slug", message: "a project with slug x exists" }]);
  });

  it("maps Prisma's record-not-found to NOT_FOUND and unique violations to CONFLICT", () => {
    expect(toErrorInfo(prismaError("P2025"))).toEqual({ code: "NOT_FOUND", message: "not found", status: 404 });
    expect(toErrorInfo(prismaError("P2002"))).toEqual({ code: "CONFLICT", message: "already exists", status: 409 });
  });

  it("maps a database that does not answer to DATABASE_UNAVAILABLE 503 and logs it", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const unreachable = prismaError("P1001", "Can't reach database server at 127.0.0.1:1");
    expect(toErrorInfo(unreachable, "api")).toMatchObject({ code: "DATABASE_UNAVAILABLE", status: 503 });
    expect(log).toHaveBeenCalledWith("[api]", unreachable);
    // pg's own error, as the queue sees it
    expect(toErrorInfo(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })).code).toBe("DATABASE_UNAVAILABLE");
  });

  it("maps anything else to INTERNAL 500, logged, without its message", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const info = toErrorInfo(new TypeError("cannot read properties of undefined (secret detail)"), "action");
    expect(info).toEqual({ code: "INTERNAL", message: "something went wrong; see the server log", status: 500 });
    expect(log).toHaveBeenCalledTimes(1);
    expect(toErrorInfo("a thrown string").code).toBe("INTERNAL");
    expect(toErrorInfo(undefined).code).toBe("INTERNAL");
  });
});

describe("toFieldErrors", () => {
  it("keeps the first message per top-level field", () => {
    expect(
      toFieldErrors([
        { path: ["name"], message: "first" },
        { path: ["name"], message: "second" },
        { path: ["buildArgs", "KEY"], message: "bad value" },
        { path: ["systemPackages", 1], message: "not a package name" },
        { path: [], message: "whole input" },
      ]),
    ).toEqual({ name: "first", buildArgs: "KEY: bad value", systemPackages: "not a package name", form: "whole input" });
  });
});

describe("error codes", () => {
  it("has a status for every code, including the ones only stored in Build.errorCode", () => {
    for (const code of APP_ERROR_CODES) expect(statusOfCode(code)).toBeGreaterThanOrEqual(400);
    for (const stored of ["DATABASE_UNAVAILABLE", "QUEUE_UNAVAILABLE", "INTERRUPTED", "CANCELLED", "ENGINE_UNAVAILABLE", "BUILD_FAILED"]) {
      expect(isAppErrorCode(stored)).toBe(true);
    }
    expect(isAppErrorCode("SOMETHING_ELSE")).toBe(false);
  });
});

describe("isDatabaseUnavailable", () => {
  it("looks through an error's cause", () => {
    expect(isDatabaseUnavailable(new Error("query failed", { cause: Object.assign(new Error("terminated"), { code: "57P01" }) }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("unique constraint"))).toBe(false);
  });

  it("counts the database timeouts (connect, query, statement, idle in transaction) as unavailable, not a user's cancel", () => {
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated due to connection timeout"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Query read timeout"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Raw query failed. Code: `57014`. Message: `canceling statement due to statement timeout`"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to idle-in-transaction timeout"), { code: "25P03" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("canceling statement due to user request"), { code: "57014" }))).toBe(false);
  });
});
