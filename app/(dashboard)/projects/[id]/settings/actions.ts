"use server";
// Project settings mutations (issue 12): retention overrides and outgoing webhooks, for
// administrators only (a webhook can reach any host the server can, internal ones included).
import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/errors";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { requireActionActor } from "@/lib/auth/session";
import { updateProjectRetention } from "@/lib/data/retention";
import { deleteWebhook, getWebhookProject, type WebhookDto } from "@/lib/data/webhooks";
import { saveWebhook, sendTestNotification } from "@/lib/notifications/manage-webhooks";
import type { AttemptResult } from "@/lib/notifications/deliver";
import { idSchema } from "@/lib/validations/build";
import { projectRetentionSchema } from "@/lib/validations/retention";
import { webhookInputSchema } from "@/lib/validations/webhook";
import { updateRegistryTarget } from "@/lib/builds/manage-registry";
import { registryTargetSchema } from "@/lib/validations/registry";
import { putProjectSecret, putVariantSecret, removeProjectSecret, removeVariantSecret } from "@/lib/builds/manage-build-secrets";
import { getVariantRecord } from "@/lib/data/projects";
import { buildSecretNameQuerySchema, buildSecretSchema } from "@/lib/validations/build-secrets";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};
const pathOf = (projectId: string) => `/projects/${projectId}/settings`;

export const updateRetentionAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const input = projectRetentionSchema.parse({ retainBuilds: text(form, "retainBuilds"), retainLogDays: text(form, "retainLogDays") });
    await updateProjectRetention(projectId, input);
    revalidatePath(pathOf(projectId));
    return undefined;
  });

export const saveWebhookAction = async (_state: ActionState<WebhookDto>, form: FormData): Promise<ActionResult<WebhookDto>> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const id = text(form, "id") ? idSchema.parse(text(form, "id")) : undefined;
    if (id && (await getWebhookProject(id)) !== projectId) throw new AppError("NOT_FOUND", `webhook ${id} is not a webhook of this project`);
    const input = webhookInputSchema.parse({
      name: text(form, "name"),
      format: text(form, "format"),
      events: form.getAll("events").filter((v) => typeof v === "string"),
      enabled: form.get("enabled") === "on",
      url: text(form, "url"),
      secret: text(form, "secret"),
      removeSecret: form.get("removeSecret") === "on",
    });
    const webhook = await saveWebhook({ ...input, projectId, id });
    console.info(`[notifications] webhook ${webhook.id} of project ${projectId} ${id ? "updated" : "created"} by ${actor.kind === "user" ? actor.email : actor.name}`);
    revalidatePath(pathOf(projectId));
    return webhook;
  });

export const deleteWebhookAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    const actor = await requireActionActor("ADMIN");
    const id = idSchema.parse(text(form, "id"));
    const projectId = await getWebhookProject(id);
    await deleteWebhook(id);
    console.info(`[notifications] webhook ${id} of project ${projectId} deleted by ${actor.kind === "user" ? actor.email : actor.name}`);
    revalidatePath(pathOf(projectId));
    return undefined;
  });

export const sendTestWebhookAction = async (_state: ActionState<AttemptResult>, form: FormData): Promise<ActionResult<AttemptResult>> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const id = idSchema.parse(text(form, "id"));
    const result = await sendTestNotification(id);
    revalidatePath(pathOf(await getWebhookProject(id)));
    return result;
  });

// Issue 17: the registry target; a blank host removes it, a blank password keeps the stored one.
export const saveRegistryAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const host = text(form, "host")?.trim() ?? "";
    const password = text(form, "password") ?? "";
    await updateRegistryTarget(
      projectId,
      host
        ? registryTargetSchema.parse({
            host,
            repository: text(form, "repository") ?? "",
            username: text(form, "username") || null,
            password: form.get("removePassword") ? null : password || undefined,
            insecure: form.get("insecure") === "on",
          })
        : null,
    );
    revalidatePath(pathOf(projectId));
    return undefined;
  });

// Issue 17 item 6: build secrets of the project or of one of its variants; values are write-only.
const secretScope = async (projectId: string, form: FormData): Promise<string | null> => {
  const variantId = text(form, "variantId") || null;
  if (!variantId) return null;
  const variant = await getVariantRecord(idSchema.parse(variantId));
  if (variant.projectId !== projectId) throw new AppError("NOT_FOUND", `variant ${variantId} is not a variant of this project`);
  return variant.id;
};

export const saveBuildSecretAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const input = buildSecretSchema.parse({ name: text(form, "name") ?? "", value: text(form, "value") ?? "" });
    const variantId = await secretScope(projectId, form);
    if (variantId) await putVariantSecret(variantId, input);
    else await putProjectSecret(projectId, input);
    revalidatePath(pathOf(projectId));
    return undefined;
  });

export const deleteBuildSecretAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireActionActor("ADMIN");
    const projectId = idSchema.parse(text(form, "projectId"));
    const { name } = buildSecretNameQuerySchema.parse({ name: text(form, "name") ?? "" });
    const variantId = await secretScope(projectId, form);
    if (variantId) await removeVariantSecret(variantId, name);
    else await removeProjectSecret(projectId, name);
    revalidatePath(pathOf(projectId));
    return undefined;
  });
