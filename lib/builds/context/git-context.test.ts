import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openContext } from "./open-context";
import { exists, expectAppError, listTempDirs, makeTempDir, readTar } from "./test-helpers";

let base: string;
let url: string;
let first: string;
let second: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd }).toString().trim();

beforeAll(async () => {
  base = await makeTempDir();
  const repo = path.join(base, "repo");
  await fs.mkdir(repo);
  git(repo, "init", "-q", "-b", "main");
  await fs.writeFile(path.join(repo, "Dockerfile"), "FROM scratch\n");
  await fs.writeFile(path.join(repo, "version.txt"), "one\n");
  await fs.writeFile(path.join(repo, "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "first");
  first = git(repo, "rev-parse", "HEAD");
  git(repo, "tag", "v1");
  await fs.writeFile(path.join(repo, "version.txt"), "two\n");
  git(repo, "commit", "-q", "-am", "second");
  second = git(repo, "rev-parse", "HEAD");
  git(repo, "branch", "old-branch", first);
  url = `file://${repo}`;
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

const refusal = (promise: Promise<unknown>) => expectAppError(promise, "CONTEXT_REFUSED");

const versionAt = async (ref: string) => {
  const context = await openContext({ kind: "GIT", url, ref });
  try {
    return { content: await fs.readFile(path.join(context.dir, "version.txt"), "utf8"), revision: context.revision };
  } finally {
    await context.cleanup();
  }
};

describe("openContext GIT", () => {
  it("checks out a branch, a tag and a commit id, recording the full commit id", async () => {
    expect(await versionAt("main")).toEqual({ content: "two\n", revision: second });
    expect(await versionAt("old-branch")).toEqual({ content: "one\n", revision: first });
    expect(await versionAt("v1")).toEqual({ content: "one\n", revision: first });
    expect(await versionAt(first)).toEqual({ content: "one\n", revision: first });
    expect(await versionAt(first.slice(0, 10))).toEqual({ content: "one\n", revision: first });
  });

  it("gives a plain tree without .git, streams it, and removes it on cleanup", async () => {
    const context = await openContext({ kind: "GIT", url, ref: "main" });
    expect(await exists(path.join(context.dir, ".git"))).toBe(false);
    const entries = await readTar(context.createTarStream());
    expect(entries.get("run.sh")).toMatchObject({ mode: 0o755 });
    expect(entries.get("version.txt")?.content).toBe("two\n");
    await context.cleanup();
    expect(await exists(context.dir)).toBe(false);
  });

  it("refuses an unknown ref with git's message and leaves no temporary directory", async () => {
    const before = await listTempDirs("layerboard-git-");
    const error = await refusal(openContext({ kind: "GIT", url, ref: "no-such-branch" }));
    expect(error.message).toContain("no-such-branch");
    expect(error.message).toMatch(/couldn't find remote ref/i);
    expect(await listTempDirs("layerboard-git-")).toEqual(before);
  });

  it("refuses a missing repository with git's message", async () => {
    const before = await listTempDirs("layerboard-git-");
    const error = await refusal(openContext({ kind: "GIT", url: `file://${base}/nope`, ref: "main" }));
    expect(error.message).toMatch(/does not exist|not a git repository|Could not read/i);
    expect(await listTempDirs("layerboard-git-")).toEqual(before);
  });

  it("refuses option-like and unsupported URLs and refs before running git", async () => {
    for (const bad of ["--upload-pack=touch /tmp/pwned", "-oProxyCommand=x", "ext::sh -c touch% /tmp/pwned", "ftp://host/repo", "ssh://-oProxyCommand=x/repo", "/abs/path", ""]) {
      await refusal(openContext({ kind: "GIT", url: bad, ref: "main" }));
    }
    for (const bad of ["--output=/tmp/x", "main..v1", "main^", "HEAD@{1}", "a b", ""]) {
      const error = await refusal(openContext({ kind: "GIT", url, ref: bad }));
      expect(error.message).toContain("Git ref refused");
    }
  });

  it("hides credentials in messages", async () => {
    const error = await refusal(openContext({ kind: "GIT", url: "ftp://user:s3cret@host/repo", ref: "main" }));
    expect(error.message).not.toContain("s3cret");
  });
});
