"use server";
// Settings mutations: users and API tokens, for administrators only.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions/result";
import { requireActionActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { createUser, deleteUser, updateUserRole, type UserDto } from "@/lib/data/users";
import { createApiToken, revokeApiToken, type ApiTokenDto } from "@/lib/data/api-tokens";
import { createApiTokenSchema, createUserSchema, roleSchema } from "@/lib/validations/auth";

const SETTINGS_PATH = "/settings";

const idField = z.string().trim().min(1, "id is required").max(64);
const updateRoleSchema = z.object({ id: idField, role: roleSchema });
const byIdSchema = z.object({ id: idField });

// API tokens cannot manage users; only a signed-in person can.
const requireAdminUser = async (): Promise<Extract<Actor, { kind: "user" }>> => {
  const actor = await requireActionActor("ADMIN");
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "only a signed-in administrator can do this");
  return actor;
};

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

export const createUserAction = async (_state: ActionState<UserDto>, form: FormData): Promise<ActionResult<UserDto>> =>
  runAction(async () => {
    await requireAdminUser();
    const input = createUserSchema.parse({ email: field(form, "email"), name: field(form, "name"), password: field(form, "password"), role: field(form, "role") });
    const user = await createUser(input);
    revalidatePath(SETTINGS_PATH);
    return user;
  });

export const updateUserRoleAction = async (_state: ActionState<UserDto>, form: FormData): Promise<ActionResult<UserDto>> =>
  runAction(async () => {
    const actor = await requireAdminUser();
    const input = updateRoleSchema.parse({ id: field(form, "id"), role: field(form, "role") });
    const user = await updateUserRole({ ...input, actingUserId: actor.userId });
    revalidatePath(SETTINGS_PATH);
    return user;
  });

export const deleteUserAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    const actor = await requireAdminUser();
    const { id } = byIdSchema.parse({ id: field(form, "id") });
    await deleteUser({ id, actingUserId: actor.userId });
    revalidatePath(SETTINGS_PATH);
    return undefined;
  });

// The token itself is returned once, to this response only; the database keeps its hash.
export const createApiTokenAction = async (
  _state: ActionState<{ token: string; apiToken: ApiTokenDto }>,
  form: FormData,
): Promise<ActionResult<{ token: string; apiToken: ApiTokenDto }>> =>
  runAction(async () => {
    const actor = await requireAdminUser();
    const input = createApiTokenSchema.parse({ name: field(form, "name"), role: field(form, "role") || undefined });
    const created = await createApiToken({ ...input, createdById: actor.userId });
    revalidatePath(SETTINGS_PATH);
    return created;
  });

export const revokeApiTokenAction = async (_state: ActionState, form: FormData): Promise<ActionResult> =>
  runAction(async () => {
    await requireAdminUser();
    const { id } = byIdSchema.parse({ id: field(form, "id") });
    await revokeApiToken(id);
    revalidatePath(SETTINGS_PATH);
    return undefined;
  });
