// Schemas for managing what was made (issue 13): editing projects and variants, archiving,
// reordering variants, changing and resetting passwords. Shared by the forms and the API.
import { z } from "zod";
import { PASSWORD_POLICY } from "@/lib/auth/policy";
import { idSchema, projectSchema, variantSchema } from "@/lib/validations/build";

// The slug names the images (layerboard/<slug>-…) and the URLs: it stays as created.
// Defaults removed: a field left out of a PATCH must stay as it is, not fall back to a default.
const project = projectSchema.shape;
export const projectUpdateSchema = z
  .object({
    name: project.name,
    description: project.description.unwrap(),
    contextKind: project.contextKind.unwrap(),
    contextPath: project.contextPath,
    gitUrl: project.gitUrl,
    gitRef: project.gitRef,
  })
  .partial()
  .extend({ archived: z.boolean().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "give at least one field to change");
export type ProjectUpdateInput = z.infer<typeof projectUpdateSchema>;

// Every field of the variant form; a field left out keeps its value (PATCH), null clears it.
const variant = variantSchema.shape;
export const variantUpdateSchema = variantSchema
  .extend({
    strategy: variant.strategy.unwrap(),
    dockerfile: variant.dockerfile.unwrap(),
    buildArgs: variant.buildArgs.unwrap(),
    builder: variant.builder.unwrap(),
    noCache: variant.noCache.unwrap(),
  })
  .partial()
  .extend({ archived: z.boolean().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "give at least one field to change");
export type VariantUpdateInput = z.infer<typeof variantUpdateSchema>;

export const variantOrderSchema = z
  .object({ variantIds: z.array(idSchema).min(1, "list the variants in their new order").max(200, "at most 200 variants") })
  .strict()
  .refine((body) => new Set(body.variantIds).size === body.variantIds.length, { message: "a variant is listed twice", path: ["variantIds"] });
export type VariantOrderInput = z.infer<typeof variantOrderSchema>;

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_POLICY.minLength, `the new password needs at least ${PASSWORD_POLICY.minLength} characters`)
  .max(PASSWORD_POLICY.maxLength, `the new password may have at most ${PASSWORD_POLICY.maxLength} characters`);

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(PASSWORD_POLICY.maxLength),
    newPassword: newPasswordSchema,
  })
  .strict()
  .refine((body) => body.newPassword !== body.currentPassword, { message: "the new password is the same as the current one", path: ["newPassword"] });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const resetPasswordSchema = z.object({ newPassword: newPasswordSchema }).strict();
