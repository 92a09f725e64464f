// Reads a build's Dockerfile once it is known to be a real file inside its context.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { hasNul, isInside } from "./paths";

const notFound = (dockerfile: string) => new AppError("CONTEXT_REFUSED", `Dockerfile not found: ${dockerfile}`);

/**
 * The Dockerfile's text. Refuses a path that is absolute, escapes `dir` lexically, is not a
 * regular file, or leads out of `dir` through a symlink; the last with the message of a
 * missing file, so the answer never tells whether a path exists on the host. Reads the real
 * path it checked.
 */
export const readDockerfileInContext = async (dir: string, dockerfile: string): Promise<string> => {
  if (!dockerfile || hasNul(dockerfile) || path.isAbsolute(dockerfile)) {
    throw new AppError("CONTEXT_REFUSED", `Dockerfile path must be relative to the build context: ${JSON.stringify(dockerfile)}`);
  }
  const contextDir = await fs.realpath(dir);
  const lexical = path.resolve(contextDir, dockerfile);
  if (!isInside(contextDir, lexical) || lexical === contextDir) {
    throw new AppError("CONTEXT_REFUSED", `Dockerfile path escapes the build context: ${dockerfile}`);
  }
  const real = await fs.realpath(lexical).catch(() => null);
  if (!real || !isInside(contextDir, real)) throw notFound(dockerfile);
  const stat = await fs.stat(real).catch(() => null);
  if (!stat) throw notFound(dockerfile);
  if (!stat.isFile()) throw new AppError("CONTEXT_REFUSED", `Dockerfile not found: ${dockerfile} is not a file`);
  return fs.readFile(real, "utf8").catch(() => {
    throw notFound(dockerfile);
  });
};
