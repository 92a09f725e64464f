// Whether `.next` holds a production build of the current sources, for `npm start`: build
// once, then serve that build until a source file changes.
//
// The rule: a fingerprint of the build inputs (every file's path, size and mtime under
// app/ components/ lib/ public/ prisma/, plus the root files that shape the bundle) is
// written to .next/layerboard-build.json after a successful `next build`, together with
// that build's BUILD_ID. The next start rebuilds when the stamp is missing, names another
// BUILD_ID, or the fingerprint differs. Stat only, no reading: ≈300 files cost a few ms.
// mtimes rather than a content hash so that it behaves like make (touching a file rebuilds,
// and a `git checkout` that rewrites files always rebuilds, never too seldom); a build that
// someone ran by hand (`next build`, the e2e setup) wipes .next and the stamp with it, so the
// launcher does not trust a build it did not fingerprint. Generated code (lib/generated,
// made from prisma/schema.prisma, which is an input) and tests (not in the bundle) are left out.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";

export const BUILD_INPUT_DIRS = ["app", "components", "lib", "public", "prisma"];
export const BUILD_INPUT_FILES = [
  "next.config.js",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.app.json",
  "postcss.config.mjs",
  "prisma.config.ts",
];
const IGNORED = (relative: string) =>
  relative.startsWith(`lib${path.sep}generated${path.sep}`) || /\.test\.tsx?$/.test(relative);

const STAMP = "layerboard-build.json";

type Stamp = { buildId: string; fingerprint: string; builtAt: string };

const listFiles = (root: string, dir: string, out: string[]) => {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return;
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (IGNORED(relative)) continue;
    if (entry.isDirectory()) listFiles(root, relative, out);
    else if (entry.isFile()) out.push(relative);
  }
};

/** A hash of the path, size and mtime of every build input under `root`. */
export const fingerprintSources = (root: string): string => {
  const files: string[] = [];
  for (const dir of BUILD_INPUT_DIRS) listFiles(root, dir, files);
  files.push(...BUILD_INPUT_FILES.filter((file) => existsSync(path.join(root, file))));
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    const stat = statSync(path.join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
};

const readBuildId = (root: string) => {
  const file = path.join(root, ".next", "BUILD_ID");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
};

/** Why `.next` must be rebuilt before `next start`, or null when it is up to date. */
export const findRebuildReason = (root: string, fingerprint = fingerprintSources(root)): string | null => {
  const buildId = readBuildId(root);
  if (!buildId) return "no production build yet";
  const stampFile = path.join(root, ".next", STAMP);
  if (!existsSync(stampFile)) return "the build in .next was not made by the launcher";
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8")) as Stamp;
  } catch {
    return "the build stamp is unreadable";
  }
  if (stamp.buildId !== buildId) return "the build in .next was not made by the launcher";
  if (stamp.fingerprint !== fingerprint) return "sources changed since the last build";
  return null;
};

/** Records that `.next` now holds a build of the sources `fingerprint` was taken from. */
export const writeBuildStamp = (root: string, fingerprint: string): void => {
  const buildId = readBuildId(root);
  if (!buildId) throw new Error("next build left no .next/BUILD_ID");
  const stamp: Stamp = { buildId, fingerprint, builtAt: new Date().toISOString() };
  writeFileSync(path.join(root, ".next", STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
};
