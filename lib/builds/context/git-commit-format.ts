// Commit metadata as git prints it for `--format=COMMIT_FORMAT`, parsed. Pure (unit-tested):
// fields are NUL-separated, records end with a line feed after the subject.

export type CommitInfo = {
  sha: string;
  /** First parent; null for a root commit. */
  parentSha: string | null;
  subject: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 (author date). */
  authoredAt: string;
};

/** %H sha, %P parents, %an/%ae author, %aI author date (strict ISO), %s subject; %x1e ends a record. */
export const COMMIT_FORMAT = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%s%x1e";

const MAX_SUBJECT = 500;
const MAX_NAME = 200;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const parseCommitRecords = (stdout: string): CommitInfo[] =>
  stdout
    .split("\x1e")
    .map((record) => record.replace(/^\n+/, ""))
    .filter(Boolean)
    .map((record) => {
      const [sha = "", parents = "", authorName = "", authorEmail = "", authoredAt = "", subject = ""] = record.split("\0");
      if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`not a commit record: ${JSON.stringify(record.slice(0, 80))}`);
      const date = new Date(authoredAt);
      return {
        sha,
        parentSha: parents.split(" ").find(Boolean) ?? null,
        subject: clip(subject.trim(), MAX_SUBJECT),
        authorName: clip(authorName, MAX_NAME),
        authorEmail: clip(authorEmail, MAX_NAME),
        authoredAt: Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString(),
      };
    });
