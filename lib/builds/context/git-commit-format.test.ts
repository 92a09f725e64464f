import { describe, expect, it } from "vitest";
import { parseCommitRecords } from "./git-commit-format";

// Captured from `git log --first-parent --format=COMMIT_FORMAT` on a scripted repository.
const CAPTURED =
  "9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c\x00" +
  "1111111111111111111111111111111111111111 2222222222222222222222222222222222222222\x00" +
  "Ada Lovelace\x00ada@example.test\x002026-11-30T10:15:00+01:00\x00Add build deps to final stage\x1e\n" +
  "1111111111111111111111111111111111111111\x00\x00Grace Hopper\x00grace@example.test\x002026-11-29T08:00:00Z\x00Initial commit\x1e\n";

describe("parseCommitRecords", () => {
  it("reads sha, first parent, author, date and subject", () => {
    const [merge, root] = parseCommitRecords(CAPTURED);
    expect(merge).toEqual({
      sha: "9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",
      parentSha: "1111111111111111111111111111111111111111",
      subject: "Add build deps to final stage",
      authorName: "Ada Lovelace",
      authorEmail: "ada@example.test",
      authoredAt: "2026-11-30T09:15:00.000Z",
    });
    expect(root.parentSha).toBeNull();
    expect(root.subject).toBe("Initial commit");
  });

  it("refuses output that is not a commit record", () => {
    expect(() => parseCommitRecords("fatal: bad revision\x1e")).toThrow(/not a commit record/);
    expect(parseCommitRecords("")).toEqual([]);
  });
});
