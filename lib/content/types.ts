// The shapes every content-analysis module shares (issue 11). Pure types: the indexer
// (lib/content/layer-index.ts) produces LayerIndex values from layer tar streams, the merge
// (lib/content/filesystem.ts) folds them into a FinalFilesystem, the analysers (packages, ELF
// libraries, run evidence, waste, diff) read those. Paths are absolute and normalised:
// "/usr/bin/python3", no trailing slash, no "." or ".." segments; the root itself is "/".

export type EntryKind =
  | "file"
  | "dir"
  | "symlink"
  | "hardlink"
  /** `.wh.<name>`: deletes `<name>` (and everything under it) from the layers below. */
  | "whiteout"
  /** `.wh..wh..opq` inside a directory: hides everything the layers below put in it. `path` is the directory. */
  | "opaque"
  | "other";

export type ElfInfo = {
  bits: 32 | 64;
  /** e_machine, e.g. 62 = x86-64, 183 = aarch64. */
  machine: number;
  type: "EXEC" | "DYN" | "REL" | "CORE" | "OTHER";
  /** PT_INTERP, e.g. "/lib64/ld-linux-x86-64.so.2"; null for static binaries and most libraries. */
  interpreter: string | null;
  /** DT_NEEDED in file order. */
  needed: string[];
  /** DT_RPATH / DT_RUNPATH split on ":", unexpanded ("$ORIGIN/../lib"). */
  rpath: string[];
  runpath: string[];
  soname: string | null;
};

export type LayerEntry = {
  path: string;
  kind: EntryKind;
  /** Bytes of a regular file's content; 0 for every other kind (a hard link's bytes belong to its target). */
  size: number;
  /** Permission and type bits from the tar header (e.g. 0o100755). */
  mode: number;
  uid: number;
  gid: number;
  /** Symlink: the target as stored (may be relative). Hard link: the absolute path of the linked file. */
  linkTarget?: string;
  /** Hex SHA-256 of a regular file's content, for files of at least CONTENT_HASH_MIN_BYTES. */
  sha256?: string;
  /** Set for regular files that start with the ELF magic and could be read. */
  elf?: ElfInfo;
};

export type LayerStats = {
  files: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  whiteouts: number;
  /** Sum of `size` over regular files in this layer. */
  fileBytes: number;
  /** Uncompressed bytes of the layer tar as read from the export. */
  tarBytes: number;
};

export type LayerIndex = {
  /** "sha256:…" — the uncompressed layer digest from the image config's rootfs.diff_ids. */
  diffId: string;
  entries: LayerEntry[];
  /** Small text files the analysers read (package databases, ld.so.conf): path → UTF-8 content. See capture.ts. */
  captured: Record<string, string>;
  stats: LayerStats;
};

/** An entry of the final filesystem: what `docker run` sees, with the layer (0 = lowest) that put it there. */
export type FinalEntry = LayerEntry & { layer: number };

export type FinalFilesystem = {
  /** Every path that exists in the final filesystem (whiteouts applied; no whiteout/opaque entries). */
  entries: Map<string, FinalEntry>;
  /** Captured files that survive in the final filesystem, with their layer. */
  captured: Map<string, { content: string; layer: number }>;
};

/** What the analysers need of the image config (GET /images/{id}/json Config). */
export type ImageRuntimeConfig = {
  env: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
  workingDir: string;
  user: string;
};

export type PackageEcosystem = "deb" | "python" | "apk";

export type PackageRecord = {
  ecosystem: PackageEcosystem;
  name: string;
  version: string;
  /** Exact bytes of the package's files present in the final filesystem (each path counted once). */
  bytes: number;
  files: number;
  /** The layer that added the package's metadata (dpkg list / dist-info / apk record); null when unknown. */
  layer: number | null;
  /** Python: the site-packages directory it lives in (venvs apart); deb/apk: undefined. */
  location?: string;
};

export type UnownedGroup = { directory: string; bytes: number; files: number };

export type FindingSeverity = "high" | "medium" | "low";

export type ContentFindingKind =
  | "missing-library"
  | "missing-interpreter"
  | "dangling-symlink"
  | "entrypoint-not-found";

export type ContentFinding = {
  kind: ContentFindingKind;
  severity: FindingSeverity;
  /** One sentence a person reads first, e.g. "/venv/bin/python3 needs libexpat.so.1, which the image lacks". */
  title: string;
  evidence: {
    /** The binary, symlink or entrypoint concerned. */
    path: string;
    /** The library, interpreter or target that cannot be found. */
    missing: string;
    layer: number | null;
    /** The package that provided `missing` in another indexed image (the build stage), when known. */
    providedBy?: string;
  };
};

/** Reclaimable and duplicate bytes (docs/content-analysis.md defines both). */
export type WasteItem = {
  path: string;
  /** Bytes in lower layers that this path's later overwrite or delete leaves unreachable. */
  bytes: number;
  /** The lower layer holding the unreachable bytes, and the layer that overwrote or deleted them. */
  layer: number;
  byLayer: number;
  reason: "overwritten" | "deleted";
};

export type DuplicateGroup = { sha256: string; size: number; paths: string[]; /** size × (paths − 1) */ extraBytes: number };

export type WasteReport = {
  /** Reclaimable bytes whose unreachable copy sits in the image's own layers / in base-image layers. */
  ownReclaimableBytes: number;
  baseReclaimableBytes: number;
  /** Largest first, capped (see the indexer's caps). */
  items: WasteItem[];
  duplicateBytes: number;
  duplicates: DuplicateGroup[];
};
