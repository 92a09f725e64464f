// A local git repository with a scripted history of ten commits (issue 15), for the backfill
// integration and e2e tests and the backfill load benchmark: one commit adds a large file, one
// breaks the image's start, a later one fixes it, one removes the Dockerfile. No network.
import "server-only";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const LARGE_FILE_BYTES = 5 * 1024 * 1024;

export type ScriptedCommit = { sha: string; subject: string };
export type ScriptedRepo = { dir: string; url: string; commits: ScriptedCommit[]; bySubject: (subject: string) => string };

/** The subjects, oldest first; the test names the ones it checks. */
export const SCRIPTED_SUBJECTS = {
  initial: "Initial app",
  readme: "Add a README",
  large: "Add a large asset",
  reword: "Reword the greeting",
  breakStart: "Break the start script",
  docs: "Add docs",
  fixStart: "Fix the start script",
  removeDockerfile: "Remove the Dockerfile",
  restoreDockerfile: "Restore the Dockerfile",
  small: "Small change",
} as const;

const dockerfile = (baseImage: string) =>
  [`FROM ${baseImage}`, "ARG FLAVOR=plain", "COPY app/ /srv/app/", 'RUN echo "$FLAVOR" > /srv/flavor', 'CMD ["/bin/sh", "/srv/app/start.sh"]', ""].join("\n");

const git = (dir: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync("git", ["-c", "user.name=Test Author", "-c", "user.email=author@example.test", "-c", "commit.gpgsign=false", ...args], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();

/**
 * Writes the repository at `dir` (created) on branch `main`. `extraCommits` small commits
 * follow the scripted ten (the load benchmark wants thirty).
 */
export const writeScriptedRepo = (dir: string, baseImage: string, options: { extraCommits?: number } = {}): ScriptedRepo => {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ["init", "--quiet", "--initial-branch=main"]);
  const write = (file: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  const commits: ScriptedCommit[] = [];
  const commit = (subject: string) => {
    git(dir, ["add", "-A"]);
    // Fixed, increasing dates so the history reads the same on every run.
    const date = new Date(Date.UTC(2026, 10, 1, 9, commits.length)).toISOString();
    git(dir, ["commit", "--quiet", "--allow-empty", "-m", subject], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    commits.push({ sha: git(dir, ["rev-parse", "HEAD"]), subject });
  };
  const S = SCRIPTED_SUBJECTS;
  write("Dockerfile", dockerfile(baseImage));
  write("app/start.sh", 'echo "hello from layerboard"\n');
  commit(S.initial);
  write("README.md", "# scripted app\n\nA history for the backfill tests.\n");
  commit(S.readme);
  write("app/big.bin", randomBytes(LARGE_FILE_BYTES));
  commit(S.large);
  write("app/start.sh", 'echo "hello again from layerboard"\n');
  commit(S.reword);
  write("app/start.sh", 'echo "about to fail"\nexit 3\n');
  commit(S.breakStart);
  write("docs/usage.md", "Run it.\n");
  commit(S.docs);
  write("app/start.sh", 'echo "hello again from layerboard"\n');
  commit(S.fixStart);
  fs.rmSync(path.join(dir, "Dockerfile"));
  commit(S.removeDockerfile);
  write("Dockerfile", dockerfile(baseImage));
  commit(S.restoreDockerfile);
  write("app/version.txt", "1\n");
  commit(S.small);
  for (let i = 0; i < (options.extraCommits ?? 0); i++) {
    write("app/version.txt", `${i + 2}\n`);
    commit(`Bump the version to ${i + 2}`);
  }
  const bySubject = (subject: string) => {
    const found = commits.find((c) => c.subject === subject);
    if (!found) throw new Error(`no scripted commit "${subject}"`);
    return found.sha;
  };
  return { dir, url: `file://${dir}`, commits, bySubject };
};

export type GitVariantFields = { name: string; buildArgs?: Record<string, string>; regressionThresholdPct?: number | null };

/** A GIT project on `url` (branch main) with the given variants, written straight to the database. */
export const createGitProject = (client: PrismaClient, slug: string, url: string, variants: GitVariantFields[]) =>
  client.project.create({
    data: {
      slug,
      name: slug,
      contextKind: "GIT",
      gitUrl: url,
      gitRef: "main",
      variants: {
        create: variants.map((variant, position) => ({
          name: variant.name,
          buildArgs: variant.buildArgs ?? {},
          regressionThresholdPct: variant.regressionThresholdPct ?? null,
          position,
        })),
      },
    },
    include: { variants: { orderBy: { position: "asc" } } },
  });
