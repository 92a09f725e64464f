// Applies the generated strategy Dockerfiles to a project: writes them into a writable
// directory context (never replacing a file that differs) and creates the variants.
// The planning functions are pure; the rest touches the disk and the database.
import "server-only";
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { getContextRoots } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { resolveDirectoryContext } from "@/lib/builds/context/directory-context";
import {
  RUNTIME_DOCKERFILE,
  TEMPLATE_DOCKERFILES,
  renderDockerignore,
  renderVariantTemplates,
  type RenderedFile,
  type RenderedVariant,
  type VariantTemplateInput,
} from "@/lib/builds/variant-templates";
import { createVariant, getProject } from "@/lib/data/projects";
import { variantSchema, type VariantInput } from "@/lib/validations/build";
import { variantTemplateSchema } from "@/lib/validations/variant-template";
import type { ContextKind, ProjectDto, VariantDto } from "@/lib/types";

export const DOCKERIGNORE = ".dockerignore";
// Every file the templates can write, for showing which ones a context already has.
export const TEMPLATE_FILE_NAMES = [...Object.values(TEMPLATE_DOCKERFILES), RUNTIME_DOCKERFILE, DOCKERIGNORE];

// ---- pure planning ----------------------------------------------------------------

export type ExistingFile = { kind: "missing" } | { kind: "file"; content: string } | { kind: "other"; what: string };

// create: not there yet; unchanged: already there, same bytes; kept: an existing
// .dockerignore (the user's own wins); conflict: there, and not ours to replace.
export type FileAction = "create" | "unchanged" | "kept" | "conflict";
export type PlannedFile = { path: string; content: string; action: FileAction; reason?: string };

/** The files the rendered variants need, each once (the builder pattern brings two). */
export const collectTemplateFiles = (variants: RenderedVariant[]): RenderedFile[] => {
  const byPath = new Map<string, RenderedFile>();
  for (const file of variants.flatMap((variant) => variant.files)) {
    const seen = byPath.get(file.path);
    if (seen && seen.content !== file.content) throw new AppError("INTERNAL", `two templates render ${file.path} differently`);
    byPath.set(file.path, file);
  }
  return [...byPath.values()];
};

/** Decides, per file, what writing the templates into a context holding `existing` would do. */
export const planTemplateFiles = (files: RenderedFile[], dockerignore: string, existing: ReadonlyMap<string, ExistingFile>): PlannedFile[] => {
  const planned = files.map((file): PlannedFile => {
    const found = existing.get(file.path) ?? { kind: "missing" };
    if (found.kind === "missing") return { ...file, action: "create" };
    if (found.kind === "other") return { ...file, action: "conflict", reason: `${file.path} already exists and is ${found.what}` };
    if (found.content === file.content) return { ...file, action: "unchanged" };
    return { ...file, action: "conflict", reason: `${file.path} already exists with different content` };
  });
  const ignore = existing.get(DOCKERIGNORE) ?? { kind: "missing" };
  planned.push({ path: DOCKERIGNORE, content: dockerignore, action: ignore.kind === "missing" ? "create" : "kept" });
  return planned;
};

export const describeConflicts = (conflicts: PlannedFile[]): string =>
  `${conflicts.map((file) => file.reason ?? `${file.path} already exists`).join("; ")}. Nothing was written: rename or remove ${
    conflicts.length === 1 ? "that file" : "those files"
  }, or copy the generated ones in by hand.`;

/** The variant a rendered template becomes. BASE_IMAGE is explicit so the worker's default does not replace the chosen one. */
export const toTemplateVariantInput = (variant: RenderedVariant, baseImage: string): VariantInput =>
  variantSchema.parse({
    name: variant.variantName,
    strategy: variant.strategy,
    dockerfile: variant.dockerfile,
    buildArgs: { BASE_IMAGE: baseImage },
    runtimeDockerfile: variant.runtimeDockerfile ?? null,
    artifactPath: variant.artifactPath ?? null,
  });

/** Variants to create, and the names skipped because the project already has them. */
export const planTemplateVariants = (variants: RenderedVariant[], existingNames: string[], baseImage: string) => {
  const taken = new Set(existingNames);
  return {
    create: variants.filter((v) => !taken.has(v.variantName)).map((v) => toTemplateVariantInput(v, baseImage)),
    skip: variants.filter((v) => taken.has(v.variantName)).map((v) => v.variantName),
  };
};

// ---- disk and database -------------------------------------------------------------

export type TemplateTarget = { kind: ContextKind; dir: string | null; writable: boolean; reason: string | null };

/** Where the templates could be written: only a directory context the server may write to. */
export const findTemplateTarget = async (project: ProjectDto): Promise<TemplateTarget> => {
  if (project.contextKind === "GIT") {
    return { kind: "GIT", dir: null, writable: false, reason: `the context is the git repository ${project.gitUrl ?? ""}: commit the files there yourself` };
  }
  if (project.contextKind === "ARCHIVE") {
    return { kind: "ARCHIVE", dir: null, writable: false, reason: "the context is an uploaded archive: add the files to it yourself" };
  }
  let dir: string;
  try {
    dir = await resolveDirectoryContext(project.contextPath ?? "", getContextRoots());
  } catch (error) {
    return { kind: "DIRECTORY", dir: null, writable: false, reason: isAppError(error) ? error.message : String(error) };
  }
  try {
    await fs.access(dir, fsConstants.W_OK);
    return { kind: "DIRECTORY", dir, writable: true, reason: null };
  } catch {
    return { kind: "DIRECTORY", dir, writable: false, reason: `the server cannot write to ${dir}` };
  }
};

// Only plain names at the context root: nothing generated may land anywhere else.
const assertPlainName = (name: string) => {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === "." || name === "..") throw new AppError("INTERNAL", `unexpected template file name ${name}`);
};

const readExisting = async (dir: string, name: string): Promise<ExistingFile> => {
  assertPlainName(name);
  const target = path.join(dir, name);
  const stat = await fs.lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (!stat) return { kind: "missing" };
  if (stat.isSymbolicLink()) return { kind: "other", what: "a symlink" };
  if (stat.isDirectory()) return { kind: "other", what: "a directory" };
  if (!stat.isFile()) return { kind: "other", what: "not a regular file" };
  const handle = await fs.open(target, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  try {
    return { kind: "file", content: await handle.readFile("utf8") };
  } finally {
    await handle.close();
  }
};

/** Names of the template files a context directory already has. */
export const findExistingTemplateFiles = async (dir: string): Promise<string[]> => {
  const found = await Promise.all(TEMPLATE_FILE_NAMES.map(async (name) => ((await readExisting(dir, name)).kind === "missing" ? null : name)));
  return found.filter((name): name is string => name !== null);
};

export type WrittenFile = { path: string; action: Exclude<FileAction, "conflict"> };

/**
 * Writes the templates' files into `dir`. Refuses, before writing anything, when a file is
 * there with other content; each write uses O_EXCL ("wx") so a file that appears meanwhile
 * (or a symlink planted there) is never replaced or followed.
 */
export const writeTemplateFiles = async (dir: string, variants: RenderedVariant[]): Promise<WrittenFile[]> => {
  const files = collectTemplateFiles(variants);
  const names = [...files.map((file) => file.path), DOCKERIGNORE];
  const existing = new Map(await Promise.all(names.map(async (name) => [name, await readExisting(dir, name)] as const)));
  const plan = planTemplateFiles(files, renderDockerignore(), existing);
  const conflicts = plan.filter((file) => file.action === "conflict");
  if (conflicts.length > 0) throw new AppError("CONFLICT", describeConflicts(conflicts));

  const written: WrittenFile[] = [];
  for (const file of plan) {
    if (file.action !== "create") {
      written.push({ path: file.path, action: file.action as WrittenFile["action"] });
      continue;
    }
    try {
      await fs.writeFile(path.join(dir, file.path), file.content, { flag: "wx", mode: 0o644 });
      written.push({ path: file.path, action: "create" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const now = await readExisting(dir, file.path);
      if (file.path === DOCKERIGNORE) written.push({ path: file.path, action: "kept" });
      else if (now.kind === "file" && now.content === file.content) written.push({ path: file.path, action: "unchanged" });
      else {
        const done = written.filter((w) => w.action === "create").map((w) => w.path);
        throw new AppError(
          "CONFLICT",
          `${file.path} appeared in the context while writing, with different content; it was left as it is${done.length ? ` (already written: ${done.join(", ")})` : ""}`,
        );
      }
    }
  }
  return written;
};

export type ApplyTemplatesResult = {
  projectId: string;
  target: TemplateTarget;
  files: WrittenFile[];
  created: VariantDto[];
  skipped: string[];
};

/**
 * Renders the templates for `projectId` and, when `writeFiles` (the default for a writable
 * directory context), writes them into the context; then creates the variants whose names
 * the project does not have yet. Throws VALIDATION for bad input, CONFLICT for a file that
 * would be replaced (nothing is written or created then).
 */
export const applyVariantTemplates = async (
  projectId: string,
  input: VariantTemplateInput,
  options: { writeFiles?: boolean } = {},
): Promise<ApplyTemplatesResult> => {
  const project = await getProject(projectId);
  const rendered = renderVariantTemplates(input);
  const { baseImage } = variantTemplateSchema.parse(input);
  const target = await findTemplateTarget(project);
  const writeFiles = options.writeFiles ?? target.writable;
  let files: WrittenFile[] = [];
  if (writeFiles) {
    if (!target.writable || !target.dir) throw new AppError("CONFLICT", `the files cannot be written: ${target.reason ?? "no writable context"}`);
    files = await writeTemplateFiles(target.dir, rendered);
  }
  const plan = planTemplateVariants(rendered, project.variants.map((variant) => variant.name), baseImage);
  const created: VariantDto[] = [];
  const skipped = [...plan.skip];
  for (const variant of plan.create) {
    try {
      created.push(await createVariant(project.id, variant));
    } catch (error) {
      // Created by someone else since the project was read: keep theirs.
      if (isAppError(error) && error.code === "CONFLICT") skipped.push(variant.name);
      else throw error;
    }
  }
  return { projectId: project.id, target, files, created, skipped };
};
