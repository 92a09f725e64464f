// Static "will it run?" evidence: missing shared libraries and interpreters (resolved the way
// ld.so does, lib/content/ld-resolve.ts), dangling symlinks in the image's own layers, an
// entrypoint not on PATH. Only the image's own layers are examined: a base image's own breakage
// is not this build's doing (its libraries are still searched, of course).
import type { ContentFinding, FinalEntry, FinalFilesystem, ImageRuntimeConfig } from "@/lib/content/types";
import type { PackageOwnership } from "@/lib/content/packages";
import { createLibraryResolver, defaultLibraryDirs } from "@/lib/content/ld-resolve";
import { basenameOf, dirnameOf, joinPath, regularFileOf, resolvePath } from "@/lib/content/fs-paths";

export type RunEvidenceOptions = {
  /** Layers below this index belong to the base image; only own layers are examined. */
  firstOwnLayer: number;
  /**
   * Names the package that provides a missing file elsewhere (another indexed image, e.g. the
   * build stage). Called with a library name ("libexpat.so.1") for missing libraries and with an
   * absolute path for a missing interpreter, symlink target or entrypoint. See providedByImage.
   */
  providedBy?: (missing: string) => string | undefined;
};

/** Findings per kind beyond this are dropped (the count is in the last one's title); the image is still judged by the first ones. */
export const RUN_EVIDENCE_MAX_FINDINGS_PER_KIND = 200;
/** Docker's PATH when the image sets none (the engine's default for Linux containers). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The engine mounts these at run time (procfs, sysfs, the /dev tmpfs) and bind-mounts the three
// network files over whatever the image has: a link into them, or one of them, is not dangling.
const RUNTIME_MOUNT = /^\/(?:proc|sys|dev)(?:\/|$)/;
const RUNTIME_FILES = new Set(["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"]);

const KIND_ORDER: Record<ContentFinding["kind"], number> = {
  "entrypoint-not-found": 0,
  "missing-interpreter": 1,
  "missing-library": 2,
  "dangling-symlink": 3,
};

const envValue = (env: string[], name: string) => env.find((pair) => pair.startsWith(`${name}=`))?.slice(name.length + 1);

const isExecutableFile = (fs: FinalFilesystem, path: string): { ok: true } | { ok: false; missing: string; reason: "missing" | "not-executable" } => {
  const resolved = resolvePath(fs, path);
  if (!resolved.found) return { ok: false, missing: resolved.missing, reason: "missing" };
  const file = regularFileOf(fs, resolved.entry);
  if (!file) return { ok: false, missing: resolved.path, reason: "missing" };
  if ((file.mode & 0o111) === 0) return { ok: false, missing: resolved.path, reason: "not-executable" };
  return { ok: true };
};

const entrypointFinding = (fs: FinalFilesystem, config: ImageRuntimeConfig, options: RunEvidenceOptions): ContentFinding | null => {
  // ENTRYPOINT then CMD as its arguments; a shell form is already ["/bin/sh", "-c", …] in the config.
  const argv = [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
  const first = argv[0];
  if (!first) return null;
  const layerOf = (path: string) => fs.entries.get(path)?.layer ?? null;
  const finding = (path: string, missing: string, title: string): ContentFinding => ({
    kind: "entrypoint-not-found",
    severity: "high",
    title,
    evidence: { path, missing, layer: layerOf(path), ...provided(options, missing) },
  });
  if (first.includes("/")) {
    const path = joinPath(config.workingDir || "/", first);
    const check = isExecutableFile(fs, path);
    if (check.ok) return null;
    return check.reason === "not-executable"
      ? finding(path, check.missing, `The command ${first} is not executable (no x bit on ${check.missing})`)
      : finding(path, check.missing, `The command ${first} does not exist in the image` + (check.missing !== path ? ` (${check.missing} is missing)` : ""));
  }
  const searchPath = envValue(config.env, "PATH") ?? DEFAULT_PATH;
  const dirs = searchPath.split(":").map((dir) => joinPath(config.workingDir || "/", dir || "."));
  if (dirs.some((dir) => isExecutableFile(fs, joinPath(dir, first)).ok)) return null;
  return finding(first, first, `The command ${first} is not on the image's PATH (${searchPath})`);
};

const provided = (options: RunEvidenceOptions, missing: string) => {
  const by = options.providedBy?.(missing);
  return by ? { providedBy: by } : {};
};

export const findRunEvidence = (fs: FinalFilesystem, config: ImageRuntimeConfig, options: RunEvidenceOptions): ContentFinding[] => {
  const findings: ContentFinding[] = [];
  const own: FinalEntry[] = [];
  for (const entry of fs.entries.values()) if (entry.layer >= options.firstOwnLayer) own.push(entry);
  own.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const entrypoint = entrypointFinding(fs, config, options);
  if (entrypoint) findings.push(entrypoint);

  const resolver = createLibraryResolver(fs, config);
  const ownElf = new Set(own.filter((entry) => entry.kind === "file" && entry.elf).map((entry) => entry.path));
  for (const entry of own) {
    const elf = entry.kind === "file" ? entry.elf : undefined;
    if (!elf || (elf.type !== "EXEC" && elf.type !== "DYN")) continue;
    const linkage = resolver.resolveBinary(entry.path, elf);
    if (linkage.interpreter && !linkage.interpreterFound) {
      findings.push({
        kind: "missing-interpreter",
        severity: "high",
        title: `${entry.path} needs the program interpreter ${linkage.interpreter}, which the image lacks`,
        evidence: { path: entry.path, missing: linkage.interpreter, layer: entry.layer, ...provided(options, linkage.interpreter) },
      });
    }
    for (const lib of linkage.missing) {
      // A library of the image's own layers that lacks a dependency gets its own finding; the binaries loading it do not repeat it.
      if (lib.neededBy !== entry.path && ownElf.has(lib.neededBy)) continue;
      findings.push({
        kind: "missing-library",
        severity: "high",
        title:
          `${entry.path} needs ${lib.name}, which the image lacks` +
          (lib.neededBy !== entry.path ? ` (needed by ${lib.neededBy}, which it loads)` : ""),
        evidence: { path: entry.path, missing: lib.name, layer: entry.layer, ...provided(options, lib.name) },
      });
    }
  }

  for (const entry of own) {
    if (entry.kind !== "symlink" || entry.linkTarget === undefined) continue;
    if (RUNTIME_FILES.has(entry.path)) continue;
    const resolved = resolvePath(fs, entry.path);
    if (resolved.found || (!resolved.loop && RUNTIME_MOUNT.test(resolved.missing))) continue;
    const target = entry.linkTarget.startsWith("/") ? entry.linkTarget : joinPath(dirnameOf(entry.path), entry.linkTarget);
    findings.push({
      kind: "dangling-symlink",
      severity: "high",
      title: resolved.loop
        ? `${entry.path} -> ${entry.linkTarget} is a symlink loop`
        : `${entry.path} -> ${entry.linkTarget} points to ${resolved.missing}, which the image lacks` +
          (resolved.missing !== target ? ` (through ${target})` : ""),
      evidence: { path: entry.path, missing: resolved.missing, layer: entry.layer, ...provided(options, resolved.missing) },
    });
  }

  return capPerKind(findings.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]));
};

const capPerKind = (findings: ContentFinding[]): ContentFinding[] => {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  const kept: ContentFinding[] = [];
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const n = (seen.get(finding.kind) ?? 0) + 1;
    seen.set(finding.kind, n);
    if (n > RUN_EVIDENCE_MAX_FINDINGS_PER_KIND) continue;
    const total = counts.get(finding.kind) ?? 0;
    kept.push(
      n === RUN_EVIDENCE_MAX_FINDINGS_PER_KIND && total > n
        ? { ...finding, title: `${finding.title} (and ${total - n} more ${finding.kind} findings not shown)` }
        : finding,
    );
  }
  return kept;
};

/**
 * A `providedBy` for findRunEvidence from another indexed image (the build stage) and its
 * packages: a library name is looked up in that image's library directories, a path as is; the
 * answer is the owning package ("deb:libexpat1"), or the path holding it when no package owns it.
 */
export const providedByImage = (other: FinalFilesystem, packages: Pick<PackageOwnership, "ownerOf">) => {
  const dirsFor = [...new Set([...defaultLibraryDirs({ bits: 64, machine: 62 }), ...defaultLibraryDirs({ bits: 64, machine: 183 })])];
  const byName = new Map<string, string>();
  for (const entry of other.entries.values()) {
    if (entry.kind !== "file" && entry.kind !== "symlink") continue;
    const name = basenameOf(entry.path);
    if (!byName.has(name) && dirsFor.includes(dirnameOf(entry.path))) byName.set(name, entry.path);
  }
  return (missing: string): string | undefined => {
    const path = missing.startsWith("/") ? missing : byName.get(missing);
    if (!path) return undefined;
    const resolved = resolvePath(other, path);
    if (!resolved.found) return undefined;
    return packages.ownerOf(path) ?? packages.ownerOf(resolved.path) ?? path;
  };
};
