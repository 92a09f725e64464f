import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { classifyEngineError, engineMessage, isEngineNotFound, isEngineUnreachable, toEngineAppError } from "./engine-error";

// What docker-modem 5 threw against engine 20.10 (dockerode calls from a Node script, 2026-12):
// buffered requests carry the parsed body in `json`; streamed ones (build, logs) only the text.
const modemError = (fields: { message: string; statusCode?: number; reason?: string; json?: unknown; code?: string }) =>
  Object.assign(new Error(fields.message), fields);

const captured = {
  // docker.getImage("layerboard-test/does-not-exist:nope").inspect()
  inspect404: modemError({
    message: "(HTTP code 404) no such image - no such image: layerboard-test/does-not-exist:nope: No such image: layerboard-test/does-not-exist:nope ",
    statusCode: 404,
    reason: "no such image",
    json: { message: "no such image: layerboard-test/does-not-exist:nope: No such image: layerboard-test/does-not-exist:nope" },
  }),
  // container.getArchive({ path: "/no/such/path" }) (streamed)
  archive404: modemError({
    message: "(HTTP code 404) no such container - Could not find the file /no/such/path in container a1e221b2d2b3 ",
    statusCode: 404,
    reason: "no such container",
    json: null,
  }),
  // POST /build?version=1 with "NOT_AN_INSTRUCTION x" on line 2 (streamed)
  build400: modemError({
    message: "(HTTP code 400) bad parameter - dockerfile parse error line 2: unknown instruction: NOT_AN_INSTRUCTION ",
    statusCode: 400,
    reason: "bad parameter",
    json: null,
  }),
  // new Docker({ socketPath: "/tmp/no-such.sock" }).version()
  noSocket: modemError({ message: "connect ENOENT /tmp/no-such.sock", code: "ENOENT" }),
  // new Docker({ host: "127.0.0.1", port: 1 }).version()
  refused: modemError({ message: "connect ECONNREFUSED 127.0.0.1:1", code: "ECONNREFUSED" }),
};

describe("engineMessage", () => {
  it("takes the body's message of a buffered request", () => {
    expect(engineMessage(captured.inspect404)).toBe(
      "no such image: layerboard-test/does-not-exist:nope: No such image: layerboard-test/does-not-exist:nope",
    );
  });

  it("strips docker-modem's status prefix from a streamed request's text", () => {
    expect(engineMessage(captured.build400)).toBe("dockerfile parse error line 2: unknown instruction: NOT_AN_INSTRUCTION");
    expect(engineMessage(captured.archive404)).toBe("Could not find the file /no/such/path in container a1e221b2d2b3");
  });

  it("falls back to the text when the body is not JSON (docker-modem then keeps the raw Buffer)", () => {
    const error = modemError({ message: "(HTTP code 500) server error - oops ", statusCode: 500, json: Buffer.from("oops") });
    expect(engineMessage(error)).toBe("oops");
  });
});

describe("classifyEngineError", () => {
  it("calls socket failures unreachable, saying why in words", () => {
    expect(classifyEngineError(captured.noSocket)).toEqual({ kind: "unreachable", reason: "no engine socket (connect ENOENT /tmp/no-such.sock)" });
    expect(classifyEngineError(captured.refused)).toEqual({ kind: "unreachable", reason: "connection refused (connect ECONNREFUSED 127.0.0.1:1)" });
    expect(classifyEngineError(Object.assign(new Error("connect EACCES /var/run/docker.sock"), { code: "EACCES" }))).toMatchObject({
      kind: "unreachable",
      reason: expect.stringMatching(/^no permission/),
    });
    expect(isEngineUnreachable(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(true);
  });

  it("keeps the status and the engine's message of an HTTP error", () => {
    expect(classifyEngineError(captured.build400)).toEqual({
      kind: "http",
      status: 400,
      message: "dockerfile parse error line 2: unknown instruction: NOT_AN_INSTRUCTION",
    });
    expect(isEngineNotFound(captured.inspect404)).toBe(true);
    expect(isEngineNotFound(captured.build400)).toBe(false);
  });

  it("leaves anything else as other, with its message", () => {
    expect(classifyEngineError(new Error("unexpected end of JSON input"))).toEqual({ kind: "other", message: "unexpected end of JSON input" });
    expect(classifyEngineError("a string")).toEqual({ kind: "other", message: "a string" });
    expect(classifyEngineError(undefined)).toEqual({ kind: "other", message: "undefined" });
  });
});

describe("toEngineAppError", () => {
  it("maps an engine that does not answer to ENGINE_UNAVAILABLE", () => {
    const error = toEngineAppError(captured.noSocket, "image x");
    expect(error).toMatchObject({ code: "ENGINE_UNAVAILABLE", message: "engine unreachable: no engine socket (connect ENOENT /tmp/no-such.sock)" });
    expect(error.status).toBe(503);
  });

  it("maps a 404 to NOT_FOUND naming what was asked for, unless told otherwise", () => {
    expect(toEngineAppError(captured.inspect404, "image layerboard-test/does-not-exist:nope")).toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/^image layerboard-test\/does-not-exist:nope: no such image/),
    });
    expect(toEngineAppError(captured.archive404, "smoke run of x", { notFound: "INTERNAL" }).code).toBe("INTERNAL");
  });

  it("maps other failures to the given code (INTERNAL by default) and passes AppErrors through", () => {
    expect(toEngineAppError(captured.build400, "build")).toMatchObject({ code: "INTERNAL", message: "build: dockerfile parse error line 2: unknown instruction: NOT_AN_INSTRUCTION" });
    expect(toEngineAppError(new Error("boom"), "engine info", { otherwise: "BUILD_FAILED" })).toMatchObject({ code: "BUILD_FAILED", message: "engine info: boom" });
    const own = new AppError("BUILD_CANCELLED", "build cancelled");
    expect(toEngineAppError(own, "build")).toBe(own);
  });
});
