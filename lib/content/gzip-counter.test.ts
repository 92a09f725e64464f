import { gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createGzipCounter } from "@/lib/content/gzip-counter";

describe("createGzipCounter", () => {
  it("counts exactly the bytes gzip at the default level makes, fed in pieces", async () => {
    const data = Buffer.concat([Buffer.alloc(300_000, "layerboard "), randomBytes(200_000)]);
    const counter = createGzipCounter();
    for (let i = 0; i < data.length; i += 65_536) await counter.write(data.subarray(i, i + 65_536));
    expect(await counter.end()).toBe(gzipSync(data).length);
  });
});
