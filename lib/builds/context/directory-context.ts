// Resolves a DIRECTORY context source to a real directory inside the allowed roots.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { runGit } from "./git";
import { hasNul, isInside } from "./paths";

const realRoots = async (roots: string[]): Promise<{ given: string; real: string }[]> => {
  const resolved = await Promise.all(
    roots.map(async (root) => {
      const given = path.resolve(root);
      try {
        return { given, real: await fs.realpath(given) };
      } catch {
        return null; // a configured root that does not exist allows nothing
      }
    }),
  );
  return resolved.filter((root): root is { given: string; real: string } => root !== null);
};

const refuse = (input: string, roots: string[], why: string): AppError =>
  new AppError(
    "CONTEXT_REFUSED",
    `Context path ${JSON.stringify(input)} ${why}; allowed roots: ${roots.length ? roots.join(", ") : "(none configured)"}`,
  );

/**
 * Finds the directory `input` names (absolute, or relative to one of `roots`) and refuses
 * anything whose real path is outside every real root: `..`, absolute paths elsewhere,
 * and symlinks leading out. Paths outside are refused before touching the filesystem, so
 * the answer does not reveal whether they exist.
 */
export const resolveDirectoryContext = async (input: string, roots: string[]): Promise<string> => {
  if (!input || hasNul(input)) throw refuse(input, roots, "is not a valid path");
  const allowed = await realRoots(roots);
  const candidates = path.isAbsolute(input) ? [path.resolve(input)] : allowed.map((root) => path.resolve(root.given, input));
  const lexicallyInside = candidates.filter((candidate) =>
    allowed.some((root) => isInside(root.given, candidate) || isInside(root.real, candidate)),
  );
  if (lexicallyInside.length === 0) throw refuse(input, roots, "is outside the allowed roots");

  let escaped = false;
  for (const candidate of lexicallyInside) {
    let real: string;
    try {
      real = await fs.realpath(candidate);
    } catch {
      continue;
    }
    if (!allowed.some((root) => isInside(root.real, real))) {
      escaped = true;
      continue;
    }
    const stat = await fs.stat(real);
    if (!stat.isDirectory()) throw refuse(input, roots, "is not a directory");
    return real;
  }
  if (escaped) throw refuse(input, roots, "leads outside the allowed roots through a symlink");
  throw refuse(input, roots, "does not exist");
};

/**
 * The commit of the git work tree holding `dir`, with "-dirty" when anything under `dir`
 * is modified or untracked; null when `dir` is not in a work tree or git cannot tell.
 */
// Whether `dir` or a parent holds `.git` (a directory, or a file for worktrees and submodules).
// Checked before spawning git (issue 16: two git processes per build, about a second on a busy
// machine, for contexts that are not in a work tree at all). GIT_DIR set: ask git.
const mayBeInWorkTree = async (dir: string): Promise<boolean> => {
  if (process.env.GIT_DIR) return true;
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      await fs.lstat(path.join(current, ".git"));
      return true;
    } catch {
      // not here; try the parent
    }
    if (path.dirname(current) === current) return false;
  }
};

export const findDirectoryRevision = async (dir: string): Promise<string | null> => {
  try {
    if (!(await mayBeInWorkTree(dir))) return null;
    const head = (await runGit(["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: dir, timeoutMs: 10_000 })).stdout.trim();
    if (!/^[0-9a-f]{40,64}$/.test(head)) return null;
    // --no-optional-locks: reading the status must not rewrite the index of a repo
    // that other tools (or people) are using.
    const status = await runGit(["--no-optional-locks", "status", "--porcelain", "--", "."], {
      cwd: dir,
      timeoutMs: 10_000,
    });
    return status.stdout.trim() ? `${head}-dirty` : head;
  } catch {
    return null;
  }
};
