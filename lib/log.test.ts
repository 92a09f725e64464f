import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, scrubSecrets } from "@/lib/log";

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ stream, env: { LAYERBOARD_LOG_LEVEL: "info", LAYERBOARD_LOG_FORMAT: "json" } });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
};

describe("the logger", () => {
  it("writes one JSON object a line with level, ISO time, msg and a build's id", () => {
    const { logger, records, lines } = capture();
    logger.child({ buildId: "cmbuild123" }).info({ status: "SUCCEEDED" }, "[worker w1] build finished");
    logger.debug("below the level: not written");
    expect(lines).toHaveLength(1);
    const [record] = records();
    expect(record).toMatchObject({ level: "info", msg: "[worker w1] build finished", buildId: "cmbuild123", status: "SUCCEEDED" });
    expect(typeof record.time).toBe("string");
    expect(new Date(record.time as string).toISOString()).toBe(record.time);
    expect(record.pid).toBe(process.pid);
  });

  it("redacts secret fields, one object down too", () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        password: "hunter2-password",
        token: "lbt_abcdefSECRET",
        headers: { authorization: "Bearer abcSECRET", cookie: "lb_session=SECRETcookie" },
        env: { DATABASE_URL: "postgresql://u:pw@h/db" },
        db: { DATABASE_URL: "postgresql://layerboard:dbSECRET@db:5432/layerboard" },
      },
      "settings",
    );
    const [record] = records();
    expect(record.password).toBe("[REDACTED]");
    expect(record.token).toBe("[REDACTED]");
    expect(record.headers).toEqual({ authorization: "[REDACTED]", cookie: "[REDACTED]" });
    expect(record.env).toBe("[REDACTED]");
    expect(record.db).toEqual({ DATABASE_URL: "[REDACTED]" });
    expect(lines.join("\n")).not.toMatch(/SECRET|hunter2|pw@/);
  });

  it("scrubs credentials out of messages and errors", () => {
    const { logger, lines, records } = capture();
    logger.error(new Error("connect failed: postgresql://layerboard:dbSECRET@10.0.0.5:5432/layerboard"), "queue error at postgres://a:bSECRET@h/x");
    logger.warn("caller sent Bearer lbt_tokSECRET and lbt_otherSECRET");
    const [error, warning] = records();
    expect(error.msg).toBe("queue error at postgres://a:[REDACTED]@h/x");
    expect((error.err as { message: string }).message).toBe("connect failed: postgresql://layerboard:[REDACTED]@10.0.0.5:5432/layerboard");
    expect((error.err as { stack: string }).stack).toContain("postgresql://layerboard:[REDACTED]@");
    expect(warning.msg).toBe("caller sent Bearer [REDACTED] and lbt_[REDACTED]");
    expect(lines.join("\n")).not.toContain("SECRET");
  });

  it("leaves text without secrets alone", () => {
    expect(scrubSecrets("[worker h-1-ab] taking builds on unix:///var/run/docker.sock (concurrency 1)")).toBe(
      "[worker h-1-ab] taking builds on unix:///var/run/docker.sock (concurrency 1)",
    );
    expect(scrubSecrets("http://user@host/x")).toBe("http://user@host/x");
    expect(scrubSecrets("send an API token (Authorization: Bearer …)")).toBe("send an API token (Authorization: Bearer …)");
  });
});
