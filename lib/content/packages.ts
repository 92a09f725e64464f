// Who owns the bytes: Debian, Python and Alpine packages of the final filesystem, with the exact
// bytes of the files each one's database names that the image really holds.
//   Debian: /var/lib/dpkg/status (installed paragraphs) joined with info/<pkg>[:arch].list;
//           distroless: status.d/<pkg> paragraphs with status.d/<pkg>.md5sums file lists.
//   Python: every captured */<name>-<version>.dist-info/RECORD (paths relative to the
//           directory holding the dist-info, "../../../bin/pip" forms included); METADATA's
//           Name/Version when captured.
//   Alpine: /lib/apk/db/installed (P:, V:, F: directory then R: files).
// A database names paths as the package installed them; on a merged-/usr image (/lib -> usr/lib)
// "/lib/x86_64-linux-gnu/libc.so.6" is really "/usr/lib/…": parent directories are resolved
// through the image's symlinks before the join. Only regular files count (directories,
// symlinks and hard links weigh 0); a path the database names but the image lacks is skipped.
// A path two packages claim belongs to the first: system packages (deb, apk) before Python
// distributions (a dpkg-installed python3-foo's dist-info names files dpkg installed), then the
// lower metadata layer, then the name. So bytes of packages + unowned bytes = the image's file bytes.
import type { FinalFilesystem, PackageEcosystem, PackageRecord, UnownedGroup } from "@/lib/content/types";
import { basenameOf, canonicalParent, dirnameOf, joinPath } from "@/lib/content/fs-paths";

export type PackageOwnership = {
  packages: PackageRecord[];
  unowned: UnownedGroup[];
  /** "deb:libexpat1" style key of the package that owns a path, if any. */
  ownerOf: (path: string) => string | undefined;
};

/** Unowned files are grouped by their directory cut to this many levels ("/opt/venv/lib"). */
export const UNOWNED_GROUP_DEPTH = 3;
/** Groups beyond this (smallest ones) fold into one "(other directories)" group, so the sum still holds. */
export const UNOWNED_MAX_GROUPS = 500;
export const UNOWNED_OTHER = "(other directories)";

type Candidate = {
  record: Omit<PackageRecord, "bytes" | "files">;
  /** Paths as the package database names them. */
  paths: string[];
};

const ECOSYSTEM_ORDER: Record<PackageEcosystem, number> = { deb: 0, apk: 1, python: 2 };

export const packageKey = (record: Pick<PackageRecord, "ecosystem" | "name">): string => `${record.ecosystem}:${record.name}`;

const paragraphs = (text: string): Array<Map<string, string>> =>
  text
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      let last: string | null = null;
      for (const line of block.split("\n")) {
        if (/^\s/.test(line) && last) {
          fields.set(last, `${fields.get(last)}\n${line.trim()}`);
          continue;
        }
        const at = line.indexOf(":");
        if (at <= 0) continue;
        last = line.slice(0, at);
        fields.set(last, line.slice(at + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);

const debCandidates = (fs: FinalFilesystem): Candidate[] => {
  const out: Candidate[] = [];
  const status = fs.captured.get("/var/lib/dpkg/status");
  const seen = new Map<string, number>();
  const add = (fields: Map<string, string>, paths: string[], layer: number | null) => {
    const name = fields.get("Package");
    if (!name) return;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    out.push({
      record: { ecosystem: "deb", name: `${name}\0${fields.get("Architecture") ?? ""}`, version: fields.get("Version") ?? "", layer },
      paths,
    });
  };
  if (status) {
    for (const fields of paragraphs(status.content)) {
      const state = fields.get("Status");
      // "install ok installed", "hold ok installed": the last word is the package's state.
      if (!state || !/\binstalled$/.test(state) || /\bnot-installed$/.test(state)) continue;
      const name = fields.get("Package") ?? "";
      const arch = fields.get("Architecture");
      const list = (arch && fs.captured.get(`/var/lib/dpkg/info/${name}:${arch}.list`)) || fs.captured.get(`/var/lib/dpkg/info/${name}.list`);
      add(fields, list ? list.content.split("\n").filter((line) => line.startsWith("/")) : [], list?.layer ?? status.layer);
    }
  }
  for (const [path, file] of fs.captured) {
    if (!path.startsWith("/var/lib/dpkg/status.d/") || path.endsWith(".md5sums")) continue;
    const sums = fs.captured.get(`${path}.md5sums`);
    const paths = sums
      ? sums.content
          .split("\n")
          .map((line) => line.replace(/^[0-9a-f]+\s+/, "").trim())
          .filter(Boolean)
          .map((line) => joinPath("/", line))
      : [];
    for (const fields of paragraphs(file.content)) add(fields, paths, file.layer);
  }
  // Architecture-qualified names only where one name is installed for several architectures (dpkg -l does the same).
  for (const candidate of out) {
    const [name, arch] = candidate.record.name.split("\0");
    candidate.record.name = (seen.get(name) ?? 0) > 1 && arch ? `${name}:${arch}` : name;
  }
  return out;
};

// RECORD is CSV: path,hash,size; a path with a comma or quote is quoted with doubled quotes.
const recordPath = (line: string): string | null => {
  if (!line.trim()) return null;
  if (!line.startsWith('"')) return line.slice(0, line.indexOf(",") >= 0 ? line.indexOf(",") : line.length);
  let out = "";
  for (let i = 1; i < line.length; i++) {
    if (line[i] === '"') {
      if (line[i + 1] === '"') {
        out += '"';
        i++;
      } else return out;
    } else out += line[i];
  }
  return out;
};

const pythonCandidates = (fs: FinalFilesystem): Candidate[] => {
  const out: Candidate[] = [];
  for (const [path, file] of fs.captured) {
    if (!path.endsWith(".dist-info/RECORD")) continue;
    const distInfo = dirnameOf(path);
    const site = dirnameOf(distInfo);
    const dirName = basenameOf(distInfo).replace(/\.dist-info$/, "");
    const dash = dirName.indexOf("-");
    const metadata = fs.captured.get(`${distInfo}/METADATA`)?.content ?? "";
    const header = metadata.split(/\n\n/)[0];
    const name = /^Name:\s*(.+)$/m.exec(header)?.[1].trim() ?? (dash > 0 ? dirName.slice(0, dash) : dirName);
    const version = /^Version:\s*(.+)$/m.exec(header)?.[1].trim() ?? (dash > 0 ? dirName.slice(dash + 1) : "");
    const paths = file.content
      .split("\n")
      .map(recordPath)
      .filter((p): p is string => !!p)
      .map((p) => joinPath(site, p));
    out.push({ record: { ecosystem: "python", name, version, layer: file.layer, location: site }, paths });
  }
  return out;
};

const apkCandidates = (fs: FinalFilesystem): Candidate[] => {
  const db = fs.captured.get("/lib/apk/db/installed");
  if (!db) return [];
  const out: Candidate[] = [];
  for (const block of db.content.split(/\n\s*\n/)) {
    let name = "";
    let version = "";
    let dir = "/";
    const paths: string[] = [];
    for (const line of block.split("\n")) {
      const value = line.slice(2);
      if (line.startsWith("P:")) name = value;
      else if (line.startsWith("V:")) version = value;
      else if (line.startsWith("F:")) dir = joinPath("/", value);
      else if (line.startsWith("R:")) paths.push(joinPath(dir, value));
    }
    if (name) out.push({ record: { ecosystem: "apk", name, version, layer: db.layer }, paths });
  }
  return out;
};

const groupOf = (path: string): string => {
  const parts = dirnameOf(path).split("/").filter(Boolean).slice(0, UNOWNED_GROUP_DEPTH);
  return "/" + parts.join("/");
};

export const findPackages = (fs: FinalFilesystem): PackageOwnership => {
  const candidates = [...debCandidates(fs), ...apkCandidates(fs), ...pythonCandidates(fs)].sort(
    (a, b) =>
      ECOSYSTEM_ORDER[a.record.ecosystem] - ECOSYSTEM_ORDER[b.record.ecosystem] ||
      (a.record.layer ?? Number.MAX_SAFE_INTEGER) - (b.record.layer ?? Number.MAX_SAFE_INTEGER) ||
      (a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0) ||
      ((a.record.location ?? "") < (b.record.location ?? "") ? -1 : 1),
  );
  const owner = new Map<string, number>();
  const dirCache = new Map<string, string | null>();
  const packages: PackageRecord[] = candidates.map((candidate, index) => {
    let bytes = 0;
    let files = 0;
    const fileLayers: number[] = [];
    for (const named of candidate.paths) {
      const real = canonicalParent(fs, named, dirCache);
      if (!real || owner.has(real)) continue;
      const entry = fs.entries.get(real);
      if (!entry) continue;
      if (entry.kind !== "file") {
        // Symlinks and hard links a package ships are its own too (ownerOf("…/libexpat.so.1")), but weigh nothing.
        if (entry.kind === "symlink" || entry.kind === "hardlink") owner.set(real, index);
        continue;
      }
      owner.set(real, index);
      bytes += entry.size;
      files += 1;
      fileLayers.push(entry.layer);
    }
    // apk keeps one database for all packages: the layer that added a package is its files' lowest layer.
    const layer = candidate.record.ecosystem === "apk" && fileLayers.length ? fileLayers.reduce((a, b) => Math.min(a, b)) : candidate.record.layer;
    return { ...candidate.record, layer, bytes, files };
  });

  const groups = new Map<string, UnownedGroup>();
  for (const entry of fs.entries.values()) {
    if (entry.kind !== "file" || owner.has(entry.path)) continue;
    const directory = groupOf(entry.path);
    const group = groups.get(directory) ?? { directory, bytes: 0, files: 0 };
    group.bytes += entry.size;
    group.files += 1;
    groups.set(directory, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.bytes - a.bytes || (a.directory < b.directory ? -1 : 1));
  const unowned = sorted.slice(0, UNOWNED_MAX_GROUPS);
  const rest = sorted.slice(UNOWNED_MAX_GROUPS);
  if (rest.length) {
    unowned.push(rest.reduce((acc, group) => ({ ...acc, bytes: acc.bytes + group.bytes, files: acc.files + group.files }), { directory: UNOWNED_OTHER, bytes: 0, files: 0 }));
  }

  const keys = packages.map(packageKey);
  return {
    packages: [...packages].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)),
    unowned,
    ownerOf: (path: string) => {
      const direct = owner.get(path);
      if (direct !== undefined) return keys[direct];
      const real = canonicalParent(fs, path, dirCache);
      const index = real ? owner.get(real) : undefined;
      return index === undefined ? undefined : keys[index];
    },
  };
};
