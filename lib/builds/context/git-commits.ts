// Reads a branch's first-parent history (a backfill's commits) from a bare clone. git without
// a shell (argv arrays, git.ts).
import "server-only";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { GitError, runGit } from "./git";
import { assertGitRef, assertGitUrl, redactUrl } from "./git-context";
import { COMMIT_FORMAT, parseCommitRecords, type CommitInfo } from "./git-commit-format";

export type { CommitInfo } from "./git-commit-format";

const failure = (what: string, url: string, error: unknown): AppError => {
  const detail = error instanceof GitError ? (error.timedOut ? "timed out" : error.message) : (error as Error).message;
  return new AppError("CONTEXT_REFUSED", `${what} ${redactUrl(url)}: ${detail.split(url).join(redactUrl(url))}`);
};

/**
 * The last `count` commits of `branch` in first-parent order, newest first, read from a bare
 * clone in a temporary directory (removed before this returns). A branch that does not exist
 * and a repository that cannot be cloned are refused with a message that says which.
 */
export const listFirstParentCommits = async (
  url: string,
  branch: string,
  count: number,
  options: { timeoutMs: number },
): Promise<CommitInfo[]> => {
  assertGitUrl(url);
  assertGitRef(branch);
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "layerboard-git-log-")));
  try {
    try {
      await runGit(["clone", "--quiet", "--bare", "--no-tags", "--", url, dir], { timeoutMs: options.timeoutMs });
    } catch (error) {
      throw failure("Could not clone", url, error);
    }
    const ref = `refs/heads/${branch}`;
    try {
      await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: dir, timeoutMs: options.timeoutMs });
    } catch {
      throw new AppError("CONTEXT_REFUSED", `Branch ${JSON.stringify(branch)} not found in ${redactUrl(url)}`);
    }
    try {
      const { stdout } = await runGit(["log", "--first-parent", `--max-count=${count}`, `--format=${COMMIT_FORMAT}`, "--end-of-options", ref], {
        cwd: dir,
        timeoutMs: options.timeoutMs,
      });
      return parseCommitRecords(stdout);
    } catch (error) {
      throw failure(`Could not read the history of ${branch} in`, url, error);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
};
