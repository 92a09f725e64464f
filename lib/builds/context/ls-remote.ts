// Reads a branch head from a repository without cloning it: `git ls-remote` through runGit (an
// argv array, no shell), with the same URL and ref checks as a clone.
import "server-only";
import { AppError } from "@/lib/errors";
import { GitError, runGit } from "./git";
import { assertGitRef, assertGitUrl, redactUrl } from "./git-context";

/** The commit `branch` points at, or null when the repository has no such branch. */
export const findRemoteBranchHead = async (url: string, branch: string, options: { timeoutMs: number }): Promise<string | null> => {
  assertGitUrl(url);
  assertGitRef(branch);
  let stdout: string;
  try {
    ({ stdout } = await runGit(["ls-remote", "--heads", "--", url, `refs/heads/${branch}`], { timeoutMs: options.timeoutMs }));
  } catch (error) {
    const detail = error instanceof GitError ? (error.timedOut ? "timed out" : error.message.split(url).join(redactUrl(url))) : String(error);
    throw new AppError("CONTEXT_REFUSED", `Could not read ${redactUrl(url)}: ${detail}`);
  }
  for (const line of stdout.split("\n")) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (ref === `refs/heads/${branch}` && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  }
  return null;
};
