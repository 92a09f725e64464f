// A local git repository for the push, polling and pull-request tests (no network): a bare
// repository reached as a file:// URL, fed by a work tree whose commits the test scripts.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type TestRepo = {
  /** file:// URL of the bare repository (what a project's gitUrl holds). */
  url: string;
  /** Writes `files`, commits them on `branch` (default main) and pushes; the new commit's SHA. */
  commit: (message: string, files: Record<string, string>, branch?: string) => string;
  head: (branch?: string) => string;
};

export const createTestRepo = (root: string, name: string): TestRepo => {
  const bare = path.join(root, `${name}.git`);
  const work = path.join(root, `${name}-work`);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=test@example.test", "-c", "user.name=Layerboard Test", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" }).trim();
  fs.mkdirSync(bare, { recursive: true });
  fs.mkdirSync(work, { recursive: true });
  git(bare, "init", "--quiet", "--bare", "--initial-branch=main");
  git(work, "init", "--quiet", "--initial-branch=main");
  git(work, "remote", "add", "origin", bare);
  let current = "main";
  return {
    url: `file://${bare}`,
    commit: (message, files, branch = "main") => {
      if (branch !== current) {
        const exists = git(work, "branch", "--list", branch) !== "";
        if (exists) git(work, "checkout", "--quiet", branch);
        else git(work, "checkout", "--quiet", "-b", branch);
        current = branch;
      }
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        fs.writeFileSync(path.join(work, file), content);
      }
      git(work, "add", "-A");
      git(work, "commit", "--quiet", "--allow-empty", "-m", message);
      git(work, "push", "--quiet", "origin", branch);
      return git(work, "rev-parse", "HEAD");
    },
    head: (branch = "main") => git(bare, "rev-parse", `refs/heads/${branch}`),
  };
};
