// First-parent order of a project's known commits (issue 15): from a head commit back along
// first parents while the parent is known. Pure.

export type OrderedCommit = { sha: string; parentSha: string | null; subject: string; authorName: string; authorEmail?: string; authoredAt: string };

/** The chain ending at `headSha`, oldest first, at most `limit` commits; empty when the head is unknown. */
export const orderFirstParent = <C extends OrderedCommit>(commits: C[], headSha: string | null, limit = 500): C[] => {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const chain: C[] = [];
  const seen = new Set<string>();
  for (let sha = headSha; sha && bySha.has(sha) && !seen.has(sha) && chain.length < limit; sha = bySha.get(sha)!.parentSha) {
    seen.add(sha);
    chain.push(bySha.get(sha)!);
  }
  return chain.reverse();
};

/**
 * The head to draw: among the commits that were built, the one whose chain is longest (a
 * backfilled branch beats a stray pull-request commit); ties go to the newest authored.
 */
export const pickHeadCommit = <C extends OrderedCommit>(commits: C[], builtShas: Set<string>): string | null => {
  const parents = new Set(commits.map((c) => c.parentSha).filter(Boolean));
  const tips = commits.filter((c) => builtShas.has(c.sha) && !parents.has(c.sha));
  const candidates = tips.length ? tips : commits.filter((c) => builtShas.has(c.sha));
  let best: { sha: string; length: number; at: number } | null = null;
  for (const tip of candidates) {
    const length = orderFirstParent(commits, tip.sha).length;
    const at = Date.parse(tip.authoredAt);
    if (!best || length > best.length || (length === best.length && at > best.at)) best = { sha: tip.sha, length, at };
  }
  return best?.sha ?? null;
};
