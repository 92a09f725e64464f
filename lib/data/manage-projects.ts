// Managing projects and variants after they were made (issue 13): edit, archive, delete, reorder,
// and what goes with a project or variant (for the confirmation before a delete).
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { toProjectDto, toVariantDto } from "@/lib/data/mappers";
import { getProjectRecord, variantData } from "@/lib/data/projects";
import { keepMaskedSecrets } from "@/lib/builds/keep-masked-secrets";
import type { ProjectDto, VariantDto } from "@/lib/types";
import type { VariantInput } from "@/lib/validations/build";
import type { ProjectUpdateInput } from "@/lib/validations/manage";

/** What a delete removes with the project or variant; `images` are builds whose image is still on an engine. */
export type Dependents = { variants: number; builds: number; comparisons: number; shareLinks: number; webhooks: number; images: number; pinned: number };

const countBuildDependents = async (where: { projectId: string } | { variantId: string }) => {
  const builds = await db.build.findMany({ where, select: { id: true, comparisonId: true, imageId: true, imageRemovedAt: true, pinnedAt: true } });
  const buildIds = builds.map((b) => b.id);
  const comparisonIds = [...new Set(builds.flatMap((b) => (b.comparisonId ? [b.comparisonId] : [])))];
  return {
    builds: builds.length,
    buildIds,
    comparisonIds,
    images: builds.filter((b) => b.imageId && !b.imageRemovedAt).length,
    pinned: builds.filter((b) => b.pinnedAt).length,
  };
};

// Share links point at builds and comparisons by id (no foreign key): counted and removed here.
const shareLinkWhere = (buildIds: string[], comparisonIds: string[]) => ({ OR: [{ buildId: { in: buildIds } }, { comparisonId: { in: comparisonIds } }] });

export const countProjectDependents = async (projectId: string): Promise<Dependents> => {
  const builds = await countBuildDependents({ projectId });
  const [variants, comparisons, webhooks, shareLinks] = await Promise.all([
    db.variant.count({ where: { projectId } }),
    db.comparison.count({ where: { projectId } }),
    db.webhook.count({ where: { projectId } }),
    db.shareLink.count({ where: shareLinkWhere(builds.buildIds, (await db.comparison.findMany({ where: { projectId }, select: { id: true } })).map((c) => c.id)) }),
  ]);
  return { variants, builds: builds.builds, comparisons, shareLinks, webhooks, images: builds.images, pinned: builds.pinned };
};

// A variant's comparisons stay (with the other variants' builds); only the links to its builds go.
export const countVariantDependents = async (variantId: string): Promise<Dependents> => {
  const builds = await countBuildDependents({ variantId });
  const shareLinks = await db.shareLink.count({ where: { buildId: { in: builds.buildIds } } });
  return { variants: 1, builds: builds.builds, comparisons: builds.comparisonIds.length, shareLinks, webhooks: 0, images: builds.images, pinned: builds.pinned };
};

const getVariantRow = async (id: string) => {
  const row = await db.variant.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", `variant ${id} not found`);
  return row;
};

export const updateProject = async (idOrSlug: string, input: ProjectUpdateInput): Promise<ProjectDto> => {
  const current = await getProjectRecord(idOrSlug, { includeArchived: true });
  const { archived, ...fields } = input;
  const kind = fields.contextKind ?? current.contextKind;
  // Only the chosen source is kept, as when the project was created.
  const context =
    fields.contextKind === undefined && fields.contextPath === undefined && fields.gitUrl === undefined && fields.gitRef === undefined
      ? {}
      : {
          contextKind: kind,
          contextPath: kind === "DIRECTORY" ? (fields.contextPath === undefined ? current.contextPath : fields.contextPath) : null,
          gitUrl: kind === "GIT" ? (fields.gitUrl === undefined ? current.gitUrl : fields.gitUrl) : null,
          gitRef: kind === "GIT" ? (fields.gitRef === undefined ? current.gitRef : fields.gitRef) : null,
        };
  const row = await db.project.update({
    where: { id: current.id },
    data: {
      ...(fields.name === undefined ? {} : { name: fields.name }),
      ...(fields.description === undefined ? {} : { description: fields.description }),
      ...context,
      ...(archived === undefined ? {} : { archivedAt: archived ? (current.archivedAt ?? new Date()) : null }),
    },
    include: { variants: true },
  });
  return toProjectDto(row);
};

/** The stored row's fields as the variant form's input: what a PATCH starts from. */
export const getVariantInput = async (id: string): Promise<VariantInput & { projectId: string; archivedAt: Date | null }> => {
  const v = await getVariantRow(id);
  return {
    projectId: v.projectId,
    archivedAt: v.archivedAt,
    name: v.name,
    strategy: v.strategy,
    dockerfile: v.dockerfile,
    target: v.target,
    buildArgs: (v.buildArgs ?? {}) as Record<string, string>,
    secretArgs: v.secretArgs,
    smokeCommand: (v.smokeCommand as string[] | null) ?? null,
    smokePrivileges: v.smokePrivileges,
    sizeBudgetBytes: v.sizeBudgetBytes === null ? null : Number(v.sizeBudgetBytes),
    regressionThresholdPct: v.regressionThresholdPct,
    builder: v.builder,
    noCache: v.noCache,
    runtimeDockerfile: v.runtimeDockerfile,
    artifactPath: v.artifactPath,
    budgetBasis: v.budgetBasis === "COMPRESSED" ? "COMPRESSED" : "DISK",
    registryBaseImage: v.registryBaseImage,
  };
};

/**
 * Replaces the variant's settings (every field of the form) and its archived flag. Builds keep
 * their frozen `settings`: history stays true.
 */
export const updateVariant = async (id: string, input: VariantInput, options: { archived?: boolean } = {}): Promise<VariantDto> => {
  const current = await getVariantRow(id);
  if (input.name !== current.name && (await db.variant.findFirst({ where: { projectId: current.projectId, name: input.name, NOT: { id } } })))
    throw new AppError("CONFLICT", `variant "${input.name}" already exists in this project`);
  const buildArgs = keepMaskedSecrets(input.buildArgs, (current.buildArgs ?? {}) as Record<string, string>, [...(input.secretArgs ?? []), ...current.secretArgs]);
  const row = await db.variant.update({
    where: { id },
    data: {
      ...variantData({ ...input, buildArgs }),
      smokeCommand: input.smokeCommand ?? Prisma.DbNull,
      ...(options.archived === undefined ? {} : { archivedAt: options.archived ? (current.archivedAt ?? new Date()) : null }),
    },
  });
  return toVariantDto(row);
};

/** Removes the project with its variants, builds (logs, layers, steps, analyses), comparisons, webhooks and share links. */
export const deleteProject = async (idOrSlug: string): Promise<{ deleted: Dependents; imageTags: string[] }> => {
  const project = await getProjectRecord(idOrSlug, { includeArchived: true });
  const deleted = await countProjectDependents(project.id);
  const imageTags = await findLiveImageTags({ projectId: project.id });
  await db.$transaction(async (tx) => {
    const builds = await tx.build.findMany({ where: { projectId: project.id }, select: { id: true } });
    const comparisons = await tx.comparison.findMany({ where: { projectId: project.id }, select: { id: true } });
    await tx.shareLink.deleteMany({ where: shareLinkWhere(builds.map((b) => b.id), comparisons.map((c) => c.id)) });
    await tx.project.delete({ where: { id: project.id } });
  });
  return { deleted, imageTags };
};

/** Removes the variant with its builds and their share links; its comparisons keep the other variants' builds. */
export const deleteVariant = async (id: string): Promise<{ deleted: Dependents; imageTags: string[]; projectId: string }> => {
  const variant = await getVariantRow(id);
  const deleted = await countVariantDependents(id);
  const imageTags = await findLiveImageTags({ variantId: id });
  await db.$transaction(async (tx) => {
    const builds = await tx.build.findMany({ where: { variantId: id }, select: { id: true } });
    await tx.shareLink.deleteMany({ where: { buildId: { in: builds.map((b) => b.id) } } });
    await tx.variant.delete({ where: { id } });
    // Positions stay dense: the variants after it move up.
    await tx.variant.updateMany({ where: { projectId: variant.projectId, position: { gt: variant.position } }, data: { position: { decrement: 1 } } });
  });
  return { deleted, imageTags, projectId: variant.projectId };
};

const findLiveImageTags = async (where: { projectId: string } | { variantId: string }): Promise<string[]> =>
  (await db.build.findMany({ where: { ...where, imageTag: { not: null }, imageRemovedAt: null }, select: { imageTag: true } })).map((b) => b.imageTag!);

/**
 * Sets the order of a project's active variants: `variantIds` must list each of them exactly
 * once. Archived variants keep their relative order after them.
 */
export const reorderVariants = async (projectIdOrSlug: string, variantIds: string[]): Promise<VariantDto[]> => {
  const project = await getProjectRecord(projectIdOrSlug, { includeArchived: true });
  const active = project.variants.filter((v) => !v.archivedAt);
  const known = new Set(active.map((v) => v.id));
  const unknown = variantIds.filter((vid) => !known.has(vid));
  if (unknown.length) throw new AppError("VALIDATION", `variantIds: ${unknown.join(", ")} ${unknown.length === 1 ? "is not an active variant" : "are not active variants"} of ${project.name}`, [{ path: ["variantIds"], message: `not an active variant of ${project.name}: ${unknown.join(", ")}` }]);
  const missing = active.filter((v) => !variantIds.includes(v.id));
  if (missing.length) throw new AppError("VALIDATION", `variantIds: missing ${missing.map((v) => v.name).join(", ")}`, [{ path: ["variantIds"], message: `list every active variant; missing: ${missing.map((v) => v.name).join(", ")}` }]);
  const order = [...variantIds, ...project.variants.filter((v) => v.archivedAt).map((v) => v.id)];
  await db.$transaction(order.map((vid, position) => db.variant.update({ where: { id: vid }, data: { position } })));
  const rows = await db.variant.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" } });
  return rows.map(toVariantDto);
};
