// Projects and their variants.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { toProjectDto, toVariantDto } from "@/lib/data/mappers";
import type { ProjectDto, VariantDto } from "@/lib/types";
import type { ProjectInput, VariantInput } from "@/lib/validations/build";

// Archived projects and variants (issue 13) leave the lists, the overview and "Compare all
// variants"; `includeArchived` is for the pages that manage them.
export type ArchivedOption = { includeArchived?: boolean };
const activeVariants = (options: ArchivedOption) => (options.includeArchived ? {} : { where: { archivedAt: null } });

export const findProjects = async (options: ArchivedOption = {}): Promise<ProjectDto[]> => {
  const rows = await db.project.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    include: { variants: activeVariants(options) },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toProjectDto);
};

/**
 * The one id-or-slug project lookup: the row with its variants in position order, for lib
 * code that needs the stored fields (archiveId, …) the DTO leaves out.
 */
export const getProjectRecord = async (idOrSlug: string, options: ArchivedOption = {}) => {
  const row = await db.project.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    include: { variants: { ...activeVariants(options), orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
  });
  if (!row) throw new AppError("NOT_FOUND", `project ${idOrSlug} not found`);
  return row;
};

export const getProject = async (idOrSlug: string, options: ArchivedOption = {}): Promise<ProjectDto> =>
  toProjectDto(await getProjectRecord(idOrSlug, options));

/** The variant row with its project's, for queueing a build of it. */
export const getVariantRecord = async (id: string) => {
  const row = await db.variant.findUnique({ where: { id }, include: { project: true } });
  if (!row) throw new AppError("NOT_FOUND", `variant ${id} not found`);
  return row;
};

export const getVariant = async (id: string): Promise<VariantDto> => {
  const row = await db.variant.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", `variant ${id} not found`);
  return toVariantDto(row);
};

export const createProject = async (input: ProjectInput): Promise<ProjectDto> => {
  const existing = await db.project.findUnique({ where: { slug: input.slug } });
  if (existing) throw new AppError("CONFLICT", `a project with slug "${input.slug}" already exists`);
  const row = await db.project.create({ data: input, include: { variants: true } });
  return toProjectDto(row);
};

export const variantData = (input: VariantInput) => ({
  ...input,
  target: input.target ?? null,
  secretArgs: input.secretArgs ?? [],
  smokeCommand: input.smokeCommand ?? undefined,
  sizeBudgetBytes: input.sizeBudgetBytes == null ? null : BigInt(input.sizeBudgetBytes),
  regressionThresholdPct: input.regressionThresholdPct ?? null,
  runtimeDockerfile: input.runtimeDockerfile ?? null,
  artifactPath: input.artifactPath ?? null,
  budgetBasis: input.budgetBasis ?? "DISK",
  registryBaseImage: input.registryBaseImage ?? null,
});

export const createVariant = async (projectId: string, input: VariantInput): Promise<VariantDto> => {
  // Archived variants keep their names (one name per project).
  const project = await getProject(projectId, { includeArchived: true });
  if (project.variants.some((v) => v.name === input.name))
    throw new AppError("CONFLICT", `variant "${input.name}" already exists in ${project.name}`);
  const row = await db.variant.create({
    data: { ...variantData(input), projectId: project.id, position: project.variants.length },
  });
  return toVariantDto(row);
};

export const updateVariantBudget = async (
  variantId: string,
  budget: { sizeBudgetBytes: number | null; regressionThresholdPct: number | null; budgetBasis?: "DISK" | "COMPRESSED" },
): Promise<VariantDto> => {
  await getVariant(variantId);
  const row = await db.variant.update({
    where: { id: variantId },
    data: {
      sizeBudgetBytes: budget.sizeBudgetBytes == null ? null : BigInt(budget.sizeBudgetBytes),
      regressionThresholdPct: budget.regressionThresholdPct,
      ...(budget.budgetBasis ? { budgetBasis: budget.budgetBasis } : {}),
    },
  });
  return toVariantDto(row);
};
