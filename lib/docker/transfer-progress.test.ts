import { describe, expect, it } from "vitest";
import { foldTransfer, transferLines, type TransferOutcome } from "@/lib/docker/transfer-progress";

// Lines of engine 20.10's `POST /images/{name}/push` to docker-registry 2.8 on loopback
// (tests/integration/registry-push.test.ts), ticks shortened, digests replaced.
const PUSH = [
  '{"status":"The push refers to repository [127.0.0.1:40111/team/app]"}',
  '{"status":"Preparing","progressDetail":{},"id":"5f70bf18a086"}',
  '{"status":"Pushing","progressDetail":{"current":512,"total":1536},"progress":"[====>    ]","id":"5f70bf18a086"}',
  '{"status":"Pushed","progressDetail":{},"id":"5f70bf18a086"}',
  '{"status":"Layer already exists","progressDetail":{},"id":"0b8a9f4c2e11"}',
  `{"status":"minimal-abc: digest: sha256:${"e".repeat(64)} size: 735"}`,
  `{"progressDetail":{},"aux":{"Tag":"minimal-abc","Digest":"sha256:${"e".repeat(64)}","Size":735}}`,
].join("\n");

const fold = async (text: string, chunkSize = 7) => {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let outcome: TransferOutcome = { digest: null, error: null, lines: [] };
  for await (const line of transferLines(chunks)) outcome = foldTransfer(outcome, line);
  return outcome;
};

describe("push progress", () => {
  it("keeps status changes, drops progress ticks and finds the pushed digest", async () => {
    const outcome = await fold(PUSH);
    expect(outcome.digest).toBe(`sha256:${"e".repeat(64)}`);
    expect(outcome.error).toBeNull();
    expect(outcome.lines).toContain("5f70bf18a086: Pushed");
    expect(outcome.lines.some((line) => line.includes("Pushing"))).toBe(false);
  });

  it("reports the registry's message when it refuses the push", async () => {
    const outcome = await fold(
      [
        '{"status":"Preparing","progressDetail":{},"id":"5f70bf18a086"}',
        '{"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"}',
      ].join("\n"),
    );
    expect(outcome.error).toBe("unauthorized: authentication required");
    expect(outcome.digest).toBeNull();
  });
});
