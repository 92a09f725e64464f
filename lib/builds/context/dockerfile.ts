// Checks that a build's Dockerfile is a real file inside its context before anything is sent.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { hasNul, isInside } from "./paths";

/**
 * Refuses a Dockerfile path that is absolute, escapes `dir` (lexically or through a
 * symlink) or is not a regular file. Returns the path relative to the context, with `/`.
 */
export const assertDockerfileInContext = async (dir: string, dockerfile: string): Promise<string> => {
  if (!dockerfile || hasNul(dockerfile) || path.isAbsolute(dockerfile)) {
    throw new AppError("CONTEXT_REFUSED", `Dockerfile path must be relative to the build context: ${JSON.stringify(dockerfile)}`);
  }
  const contextDir = await fs.realpath(dir);
  const lexical = path.resolve(contextDir, dockerfile);
  if (!isInside(contextDir, lexical) || lexical === contextDir) {
    throw new AppError("CONTEXT_REFUSED", `Dockerfile path escapes the build context: ${dockerfile}`);
  }
  let real: string;
  try {
    real = await fs.realpath(lexical);
  } catch {
    throw new AppError("CONTEXT_REFUSED", `Dockerfile not found: ${dockerfile}`);
  }
  if (!isInside(contextDir, real)) {
    throw new AppError("CONTEXT_REFUSED", `Dockerfile path escapes the build context (through a symlink): ${dockerfile}`);
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new AppError("CONTEXT_REFUSED", `Dockerfile not found: ${dockerfile} is not a file`);
  return path.relative(contextDir, lexical).split(path.sep).join("/");
};
