"use server";
// Managing a project (issue 13), administrators only: edit the project and its variants,
// archive or restore, delete (after a confirmation that says what goes), reorder the variants.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActionActor } from "@/lib/auth/session";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { parseVariantForm } from "@/lib/actions/variant-form";
import { fieldsError, isAppError } from "@/lib/errors";
import { getProjectRecord } from "@/lib/data/projects";
import { reorderVariants, updateVariant, getVariantInput } from "@/lib/data/manage-projects";
import { removeProject, removeVariant, saveProjectChanges } from "@/lib/builds/manage-projects";
import { checkVariantDockerfiles } from "@/lib/builds/check-variant-dockerfiles";
import { idSchema } from "@/lib/validations/build";
import { projectUpdateSchema } from "@/lib/validations/manage";

const NEEDS_ATTENTION = "Some fields need attention.";

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
const optionalText = (form: FormData, name: string): string | null => text(form, name).trim() || null;

const refresh = (projectId: string) => {
  revalidatePath(`/projects/${projectId}`);
  revalidatePath(`/projects/${projectId}/manage`);
  revalidatePath("/");
};

// The manage page's row actions answer with the page itself (a redirect to it): the list shows
// the new order or the removed row at once.
const backToManage = async <T>(result: ActionResult<T>, projectId: string | null): Promise<ActionResult<T>> => {
  if (result.ok && projectId) redirect(`/projects/${projectId}/manage`);
  return result;
};

export const updateProjectAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const id = idSchema.parse(text(form, "projectId"));
    const kind = text(form, "contextKind") || "DIRECTORY";
    const parsed = projectUpdateSchema.safeParse({
      name: text(form, "name"),
      description: text(form, "description"),
      contextKind: kind,
      contextPath: kind === "DIRECTORY" ? optionalText(form, "contextPath") : null,
      gitUrl: kind === "GIT" ? optionalText(form, "gitUrl") : null,
      gitRef: kind === "GIT" ? optionalText(form, "gitRef") : null,
    });
    if (!parsed.success) throw fieldsError(NEEDS_ATTENTION, parsed.error.issues);
    await saveProjectChanges(id, parsed.data);
    refresh(id);
    return undefined;
  });

// Saving checks every field at once, the Dockerfiles of a directory context included.
export const updateVariantAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const variantId = idSchema.parse(text(form, "variantId"));
    const { projectId } = await getVariantInput(variantId);
    const { input, fieldErrors } = parseVariantForm(form);
    const files = await checkVariantDockerfiles(await getProjectRecord(projectId, { includeArchived: true }), {
      dockerfile: text(form, "dockerfile").trim() || "Dockerfile",
      runtimeDockerfile: optionalText(form, "runtimeDockerfile"),
      strategy: text(form, "strategy") || "CUSTOM",
    });
    if (!input || Object.keys(files).length > 0) throw fieldsError(NEEDS_ATTENTION, { ...files, ...fieldErrors });
    try {
      await updateVariant(variantId, input);
    } catch (error) {
      if (isAppError(error) && error.code === "CONFLICT") throw fieldsError("That name is taken.", { name: error.message }, "CONFLICT");
      throw error;
    }
    refresh(projectId);
    return projectId;
  });
  if (result.ok) redirect(`/projects/${result.data}/manage`);
  return result.ok ? { ok: true, data: undefined } : result;
};

const byIdSchema = z.object({ id: idSchema });

const setVariantArchived = (archived: boolean) => async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  let projectOf: string | null = null;
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const { id } = byIdSchema.parse({ id: form.get("id") });
    const { projectId, archivedAt: _a, ...current } = await getVariantInput(id);
    await updateVariant(id, current, { archived });
    // A restored variant goes to the end of the active list.
    if (!archived) {
      const project = await getProjectRecord(projectId);
      await reorderVariants(projectId, [...project.variants.filter((v) => v.id !== id).map((v) => v.id), id]);
    }
    refresh(projectId);
    projectOf = projectId;
    return undefined;
  });
  return backToManage(result, projectOf);
};

export const archiveVariantAction = async (state: ActionState, form: FormData) => setVariantArchived(true)(state, form);
export const restoreVariantAction = async (state: ActionState, form: FormData) => setVariantArchived(false)(state, form);

export const deleteVariantAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  let projectOf: string | null = null;
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const { id } = byIdSchema.parse({ id: form.get("id") });
    const { projectId } = await removeVariant(id);
    refresh(projectId);
    projectOf = projectId;
    return undefined;
  });
  return backToManage(result, projectOf);
};

const moveSchema = z.object({ projectId: idSchema, variantId: idSchema, direction: z.enum(["up", "down"]) });

export const moveVariantAction = async (_state: ActionState<string>, form: FormData): Promise<ActionResult<string>> => {
  let projectOf: string | null = null;
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const { projectId, variantId, direction } = moveSchema.parse({ projectId: form.get("projectId"), variantId: form.get("variantId"), direction: form.get("direction") });
    const ids = (await getProjectRecord(projectId)).variants.map((v) => v.id);
    const from = ids.indexOf(variantId);
    const to = direction === "up" ? from - 1 : from + 1;
    if (from >= 0 && to >= 0 && to < ids.length) {
      [ids[from], ids[to]] = [ids[to], ids[from]];
      await reorderVariants(projectId, ids);
    }
    refresh(projectId);
    projectOf = projectId;
    return variantId;
  });
  return backToManage(result, projectOf);
};

const setProjectArchived = (archived: boolean) => async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  let projectOf: string | null = null;
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const { id } = byIdSchema.parse({ id: form.get("id") });
    projectOf = (await saveProjectChanges(id, { archived })).id;
    refresh(projectOf);
    return undefined;
  });
  return backToManage(result, projectOf);
};

export const archiveProjectAction = async (state: ActionState, form: FormData) => setProjectArchived(true)(state, form);
export const restoreProjectAction = async (state: ActionState, form: FormData) => setProjectArchived(false)(state, form);

export const deleteProjectAction = async (_state: ActionState, form: FormData): Promise<ActionResult> => {
  const result = await runAction(async () => {
    await requireActionActor("ADMIN");
    const { id } = byIdSchema.parse({ id: form.get("id") });
    await removeProject(id);
    revalidatePath("/");
    return undefined;
  });
  if (result.ok) redirect("/");
  return result;
};
