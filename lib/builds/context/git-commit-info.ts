// Reads one commit's metadata (subject, author, date, first parent) from a clone, for the build
// that built it. git without a shell (git.ts).
import "server-only";
import { runGit } from "./git";
import { COMMIT_FORMAT, parseCommitRecords, type CommitInfo } from "./git-commit-format";

/** The metadata of `sha` in the repository at `dir` (whose `.git` is still there); null if git cannot say. */
export const readCommitInfo = async (dir: string, sha: string, timeoutMs: number): Promise<CommitInfo | null> => {
  try {
    const { stdout } = await runGit(["show", "-s", `--format=${COMMIT_FORMAT}`, "--end-of-options", sha], { cwd: dir, timeoutMs });
    return parseCommitRecords(stdout)[0] ?? null;
  } catch {
    return null;
  }
};
