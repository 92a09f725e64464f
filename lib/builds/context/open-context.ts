// Opens a build context (directory, git clone or uploaded archive) as a directory plus a tar stream.
import "server-only";
import fs from "node:fs/promises";
import { getContextRoots, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { extractArchiveContext } from "./archive-context";
import { createContextTarStream } from "./create-tar-stream";
import { findDirectoryRevision, resolveDirectoryContext } from "./directory-context";
import { cloneGitContext } from "./git-context";
import type { ContextSource, OpenContextOptions, OpenedContext } from "./types";

export { readDockerfileInContext } from "./dockerfile";
export { createContextTarStream } from "./create-tar-stream";
export type { ContextSource, CreateTarStreamOptions, OpenContextOptions, OpenedContext } from "./types";

export const DEFAULT_MAX_ARCHIVE_ENTRIES = 10_000;
export const DEFAULT_GIT_TIMEOUT_MS = 120_000;

const toOpenedContext = (dir: string, revision: string | null, isTemporary: boolean, commit: OpenedContext["commit"] = null): OpenedContext => ({
  dir,
  revision,
  commit,
  createTarStream: (opts) => createContextTarStream(dir, opts),
  cleanup: isTemporary ? () => fs.rm(dir, { recursive: true, force: true }) : async () => undefined,
});

/**
 * Resolves a context source to a directory the build can be streamed from. DIRECTORY
 * sources must stay inside the allowed roots and are used in place; GIT and ARCHIVE
 * sources land in a temporary directory that `cleanup` removes. Options default to the
 * environment (LAYERBOARD_CONTEXT_ROOTS, LAYERBOARD_MAX_UPLOAD_BYTES), read only when needed.
 */
export const openContext = async (source: ContextSource, options: OpenContextOptions = {}): Promise<OpenedContext> => {
  switch (source.kind) {
    case "DIRECTORY": {
      const dir = await resolveDirectoryContext(source.path, options.roots ?? getContextRoots());
      return toOpenedContext(dir, await findDirectoryRevision(dir), false);
    }
    case "GIT": {
      const { dir, revision, commit } = await cloneGitContext(source.url, source.ref, {
        timeoutMs: options.gitTimeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
        readCommit: options.readCommit,
      });
      return toOpenedContext(dir, revision, true, commit);
    }
    case "ARCHIVE": {
      const { dir, revision } = await extractArchiveContext(source.data, source.filename, {
        maxBytes: options.maxArchiveBytes ?? getEnv().LAYERBOARD_MAX_UPLOAD_BYTES,
        maxEntries: options.maxArchiveEntries ?? DEFAULT_MAX_ARCHIVE_ENTRIES,
      });
      return toOpenedContext(dir, revision, true);
    }
    default:
      throw new AppError("VALIDATION", `Unknown context source kind: ${(source as { kind?: unknown }).kind}`);
  }
};
