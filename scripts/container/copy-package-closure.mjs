// Copies packages and everything they depend on (dependencies, optional dependencies and required
// peers, when installed) from ./node_modules into <dest>/node_modules, resolved the way Node does
// (a nested node_modules first). The Dockerfile uses it for what the standalone build does not
// trace: the Prisma CLI that applies migrations at start, and its config's adapter.
// Usage: node scripts/container/copy-package-closure.mjs <dest> <package>...
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [dest, ...roots] = process.argv.slice(2);
if (!dest || roots.length === 0) throw new Error("usage: copy-package-closure.mjs <dest> <package>...");

const root = path.resolve(".");
// The directory of `name` as seen from the package directory `from` (undefined: not installed).
const resolvePackage = (name, from) => {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return undefined;
  }
};

const seen = new Set();
const visit = (name, from) => {
  const dir = resolvePackage(name, from);
  if (!dir) return;
  if (seen.has(dir)) return;
  seen.add(dir);
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  for (const field of ["dependencies", "optionalDependencies"])
    for (const dependency of Object.keys(manifest[field] ?? {})) visit(dependency, dir);
  // Peers the package cannot do without (prisma's optional typescript peer stays out).
  for (const dependency of Object.keys(manifest.peerDependencies ?? {}))
    if (!manifest.peerDependenciesMeta?.[dependency]?.optional) visit(dependency, dir);
};
for (const name of roots) {
  if (!resolvePackage(name, root)) throw new Error(`${name} is not installed`);
  visit(name, root);
}
for (const dir of seen) cpSync(dir, path.join(dest, path.relative(root, dir)), { recursive: true, dereference: false });
console.log(`copied ${seen.size} packages into ${dest}`);
