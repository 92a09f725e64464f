import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openContext, readDockerfileInContext } from "./open-context";
import { expectAppError, makeTempDir, writeFiles } from "./test-helpers";

let base: string;
let root: string;
let outside: string;

beforeAll(async () => {
  base = await makeTempDir();
  root = path.join(base, "root");
  outside = path.join(base, "outside");
  await writeFiles(root, { "app/Dockerfile": "FROM scratch\n", "app/sub/file.txt": "x" });
  await writeFiles(outside, { "secret/Dockerfile": "FROM scratch\n", "Dockerfile": "FROM scratch\n" });
  await fs.symlink(path.join(outside, "secret"), path.join(root, "escape"));
  await fs.symlink("app/sub", path.join(root, "inner-link"));
  await fs.symlink(path.join(outside, "Dockerfile"), path.join(root, "Dockerfile.host"));
  await fs.symlink("app/Dockerfile", path.join(root, "Dockerfile.inner"));
  await fs.writeFile(path.join(root, "plain-file"), "x");
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe("openContext DIRECTORY", () => {
  it("opens a path relative to a root, at its real path, with a no-op cleanup", async () => {
    const context = await openContext({ kind: "DIRECTORY", path: "app" }, { roots: [root] });
    expect(context.dir).toBe(path.join(root, "app"));
    expect(context.revision).toBeNull();
    await context.cleanup();
    expect((await fs.stat(context.dir)).isDirectory()).toBe(true);
  });

  it("opens an absolute path inside a root and a symlink that stays inside", async () => {
    const absolute = await openContext({ kind: "DIRECTORY", path: path.join(root, "app") }, { roots: [root] });
    expect(absolute.dir).toBe(path.join(root, "app"));
    const linked = await openContext({ kind: "DIRECTORY", path: "inner-link" }, { roots: [root] });
    expect(linked.dir).toBe(path.join(root, "app/sub"));
  });

  it("refuses ../ traversal, naming the path and the allowed roots", async () => {
    const error = await expectAppError(openContext({ kind: "DIRECTORY", path: "../outside" }, { roots: [root] }));
    expect(error.code).toBe("CONTEXT_REFUSED");
    expect(error.message).toContain('"../outside"');
    expect(error.message).toContain(root);
    const nested = await expectAppError(openContext({ kind: "DIRECTORY", path: "app/../../outside" }, { roots: [root] }));
    expect(nested.code).toBe("CONTEXT_REFUSED");
  });

  it("refuses an absolute path elsewhere without saying whether it exists", async () => {
    const existing = await expectAppError(openContext({ kind: "DIRECTORY", path: outside }, { roots: [root] }));
    const missing = await expectAppError(openContext({ kind: "DIRECTORY", path: "/no/such/dir" }, { roots: [root] }));
    expect(existing.code).toBe("CONTEXT_REFUSED");
    expect(existing.message).toContain("outside the allowed roots");
    expect(missing.message).toContain("outside the allowed roots");
    await expectAppError(openContext({ kind: "DIRECTORY", path: "/etc" }, { roots: [root] }));
  });

  it("refuses a symlinked directory that points outside the roots", async () => {
    const error = await expectAppError(openContext({ kind: "DIRECTORY", path: "escape" }, { roots: [root] }));
    expect(error.code).toBe("CONTEXT_REFUSED");
    expect(error.message).toContain("symlink");
    await expectAppError(openContext({ kind: "DIRECTORY", path: path.join(root, "escape") }, { roots: [root] }));
  });

  it("refuses missing paths, files and NUL bytes", async () => {
    expect((await expectAppError(openContext({ kind: "DIRECTORY", path: "nope" }, { roots: [root] }))).message).toContain(
      "does not exist",
    );
    expect(
      (await expectAppError(openContext({ kind: "DIRECTORY", path: "plain-file" }, { roots: [root] }))).message,
    ).toContain("not a directory");
    await expectAppError(openContext({ kind: "DIRECTORY", path: "app\0" }, { roots: [root] }));
    await expectAppError(openContext({ kind: "DIRECTORY", path: "app" }, { roots: [] }));
  });

  it("reports the git commit of a work tree, with -dirty when the context is modified", async () => {
    const repo = path.join(root, "repo");
    await writeFiles(repo, { "Dockerfile": "FROM scratch\n" });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo }).toString();
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "one");
    const head = git("rev-parse", "HEAD").trim();
    expect((await openContext({ kind: "DIRECTORY", path: "repo" }, { roots: [root] })).revision).toBe(head);
    await fs.writeFile(path.join(repo, "new.txt"), "x");
    expect((await openContext({ kind: "DIRECTORY", path: "repo" }, { roots: [root] })).revision).toBe(`${head}-dirty`);
  });

  it("finds the work tree from a subdirectory context (the .git of a parent), without git for a plain directory", async () => {
    const repo = path.join(root, "repo-sub");
    await writeFiles(repo, { "app/Dockerfile": "FROM scratch\n" });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo }).toString();
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "one");
    const head = git("rev-parse", "HEAD").trim();
    expect((await openContext({ kind: "DIRECTORY", path: "repo-sub/app" }, { roots: [root] })).revision).toBe(head);
    await writeFiles(path.join(root, "plain"), { "Dockerfile": "FROM scratch\n" });
    expect((await openContext({ kind: "DIRECTORY", path: "plain" }, { roots: [root] })).revision).toBeNull();
  });
});

describe("readDockerfileInContext", () => {
  it("reads a Dockerfile inside the context, also through a symlink that stays inside", async () => {
    await expect(readDockerfileInContext(root, "app/Dockerfile")).resolves.toBe("FROM scratch\n");
    await expect(readDockerfileInContext(root, "./app//Dockerfile")).resolves.toBe("FROM scratch\n");
    await expect(readDockerfileInContext(root, "Dockerfile.inner")).resolves.toBe("FROM scratch\n");
  });

  it("refuses paths escaping the context lexically", async () => {
    const app = path.join(root, "app");
    expect((await expectAppError(readDockerfileInContext(app, "../../outside/Dockerfile"))).message).toContain("escapes");
    expect((await expectAppError(readDockerfileInContext(app, "/etc/passwd"))).code).toBe("CONTEXT_REFUSED");
  });

  it("refuses a Dockerfile that leads out through a symlink with the message of a missing one", async () => {
    const missing = await expectAppError(readDockerfileInContext(root, "Dockerfile.absent"));
    expect(missing.message).toBe("Dockerfile not found: Dockerfile.absent");
    const host = await expectAppError(readDockerfileInContext(root, "Dockerfile.host"));
    expect(host.code).toBe("CONTEXT_REFUSED");
    expect(host.message).toBe("Dockerfile not found: Dockerfile.host");
    const throughDir = await expectAppError(readDockerfileInContext(root, "escape/Dockerfile"));
    expect(throughDir.message).toBe("Dockerfile not found: escape/Dockerfile");
  });

  it("refuses a missing Dockerfile or a directory", async () => {
    const error = await expectAppError(readDockerfileInContext(root, "app/Dockerfile.prod"));
    expect(error.code).toBe("CONTEXT_REFUSED");
    expect(error.message).toBe("Dockerfile not found: app/Dockerfile.prod");
    expect((await expectAppError(readDockerfileInContext(root, "app"))).message).toContain("Dockerfile not found");
  });
});
