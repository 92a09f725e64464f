// Clones a GIT context source into a temporary directory at the requested ref.
import "server-only";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { GitError, runGit } from "./git";
import { checkGitUrl } from "./git-url";
import { readCommitInfo } from "./git-commit-info";
import type { CommitInfo } from "./git-commit-format";

/** Removes credentials from a URL before it goes into a message or a log. */
export const redactUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@");

/** The clone's own check, the same as at project creation (a URL saved before it existed). */
export const assertGitUrl = (url: string): void => {
  const check = checkGitUrl(url);
  if (!check.ok) throw new AppError("CONTEXT_REFUSED", `Git URL refused: ${JSON.stringify(redactUrl(url))}: ${check.reason}`);
};

/**
 * A ref must be a branch, a tag or a commit id: the characters git's check-ref-format
 * forbids are refused, which also rules out revision expressions (`a..b`, `@{…}`, `^`).
 */
export const assertGitRef = (ref: string): void => {
  const invalid =
    !ref ||
    ref.length > 255 ||
    ref.startsWith("-") ||
    ref.startsWith("/") ||
    ref.endsWith("/") ||
    ref.endsWith(".lock") ||
    ref.includes("..") ||
    ref.includes("@{") ||
    /[\s\0-\x1f\x7f~^:?*[\\]/.test(ref);
  if (invalid) throw new AppError("CONTEXT_REFUSED", `Git ref refused: ${JSON.stringify(ref)}`);
};

const gitFailure = (what: string, url: string, error: unknown, timeoutMs: number): AppError => {
  if (error instanceof GitError) {
    const detail = error.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : error.message;
    // git usually strips credentials itself; make sure.
    return new AppError("CONTEXT_REFUSED", `${what} ${redactUrl(url)}: ${detail.split(url).join(redactUrl(url))}`);
  }
  return new AppError("CONTEXT_REFUSED", `${what} ${redactUrl(url)}: ${(error as Error).message}`);
};

const resolveCommit = async (dir: string, ref: string, timeoutMs: number): Promise<string | null> => {
  // A branch first (the clone only has remote-tracking refs), then a tag, then a commit id.
  for (const candidate of [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref]) {
    try {
      const { stdout } = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${candidate}^{commit}`], {
        cwd: dir,
        timeoutMs,
      });
      const sha = stdout.trim();
      if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
    } catch {
      // not this kind of ref
    }
  }
  return null;
};

/**
 * Clones `url` into a new temporary directory, checks out `ref` (branch, tag or commit
 * id) detached and drops `.git`, as docker does for a git context. Returns the full
 * commit id. The temporary directory is removed if anything fails.
 */
export const cloneGitContext = async (
  url: string,
  ref: string,
  options: { timeoutMs: number; readCommit?: boolean },
): Promise<{ dir: string; revision: string; commit: CommitInfo | null }> => {
  assertGitUrl(url);
  assertGitRef(ref);
  const { timeoutMs } = options;
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "layerboard-git-")));
  try {
    try {
      await runGit(["clone", "--quiet", "--no-checkout", "--no-recurse-submodules", "--", url, dir], { timeoutMs });
    } catch (error) {
      throw gitFailure("Could not clone", url, error, timeoutMs);
    }
    let sha = await resolveCommit(dir, ref, timeoutMs);
    let gitMessage = "";
    if (!sha) {
      // A commit no branch or tag reaches (e.g. a pull request head): ask the server for it.
      try {
        await runGit(["fetch", "--quiet", "--no-tags", "--", "origin", ref], { cwd: dir, timeoutMs });
        sha = await resolveCommit(dir, "FETCH_HEAD", timeoutMs);
      } catch (error) {
        gitMessage = error instanceof GitError ? error.message.split(url).join(redactUrl(url)) : "";
      }
    }
    if (!sha) {
      const suffix = gitMessage ? ` (${gitMessage})` : "";
      throw new AppError("CONTEXT_REFUSED", `Git ref not found in ${redactUrl(url)}: ${ref}${suffix}`);
    }
    try {
      await runGit(["-c", "advice.detachedHead=false", "checkout", "--quiet", "--force", "--detach", sha], {
        cwd: dir,
        timeoutMs,
      });
    } catch (error) {
      throw gitFailure(`Could not check out ${ref} from`, url, error, timeoutMs);
    }
    // Issue 15: subject, author, date and first parent, read from the clone before .git goes.
    const commit = options.readCommit ? await readCommitInfo(dir, sha, timeoutMs) : null;
    await fs.rm(path.join(dir, ".git"), { recursive: true, force: true });
    return { dir, revision: sha, commit };
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
};
