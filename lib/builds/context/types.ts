// Types shared by the build-context modules: where a context comes from and what opening one gives.
export type ContextSource =
  | { kind: "DIRECTORY"; path: string }
  | { kind: "GIT"; url: string; ref: string }
  // Prisma 6 returns Bytes as Uint8Array; a Buffer is accepted too.
  | { kind: "ARCHIVE"; data: Buffer | Uint8Array; filename: string };

export type OpenContextOptions = {
  /** Allowed roots for DIRECTORY sources; defaults to LAYERBOARD_CONTEXT_ROOTS. */
  roots?: string[];
  /** Limit on an archive's size, compressed and expanded; defaults to LAYERBOARD_MAX_UPLOAD_BYTES. */
  maxArchiveBytes?: number;
  /** Limit on the number of entries in an archive; defaults to 10,000. */
  maxArchiveEntries?: number;
  /** Time limit for `git clone` and `git fetch`, in milliseconds; defaults to 120 s. */
  gitTimeoutMs?: number;
  /** GIT sources: read the commit's subject, author, date and first parent (issue 15); default false. */
  readCommit?: boolean;
};

export type CreateTarStreamOptions = {
  /** The Dockerfile's path relative to the context; always sent even if .dockerignore'd. */
  dockerfile?: string;
};

export type OpenedContext = {
  /** Absolute, real path of the context directory. */
  dir: string;
  /** Git commit (with "-dirty" when modified), "sha256:…" of an archive, or null. */
  revision: string | null;
  /** GIT contexts: the commit's metadata read from the clone (issue 15); null otherwise. */
  commit: import("./git-commit-format").CommitInfo | null;
  createTarStream: (opts?: CreateTarStreamOptions) => NodeJS.ReadableStream;
  cleanup: () => Promise<void>;
};
