// Build secrets (issue 17 item 6): the name is the `id=` of `RUN --mount=type=secret,id=NAME`
// and the file name under /run/secrets; the value is write-only. Shared by the settings form and the API.
import { z } from "zod";

/** The largest value stored: BuildKit holds the whole secret in memory and in a tmpfs per mount. */
export const BUILD_SECRET_MAX_BYTES = 64 * 1024;

/** What a name must match as a whole (the schema checks it in three parts, for one clear message each). */
export const BUILD_SECRET_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export const buildSecretNameSchema = z
  .string({ error: "a secret name is required" })
  .trim()
  .min(1, "a secret name is required")
  .max(64, "a secret name is at most 64 characters")
  // The characters alone: length has its own messages above, so each bad name gets one message.
  .regex(/^[A-Za-z0-9_.-]*$/, "a secret name may only hold letters, digits, dots, dashes and underscores (it is the id in --mount=type=secret,id=NAME)");

export const buildSecretValueSchema = z
  .string({ error: "a secret value is required" })
  .refine((value) => value.length > 0, "a secret value is required (an empty secret is not mounted at all)")
  .refine((value) => Buffer.byteLength(value, "utf8") <= BUILD_SECRET_MAX_BYTES, `a secret value is at most ${BUILD_SECRET_MAX_BYTES / 1024} KiB`);

/** PUT body: add a secret, or replace the value of one with that name. */
export const buildSecretSchema = z.object({ name: buildSecretNameSchema, value: buildSecretValueSchema }).strict();
export type BuildSecretInput = z.infer<typeof buildSecretSchema>;

/** DELETE query: ?name=NAME. */
export const buildSecretNameQuerySchema = z.object({ name: buildSecretNameSchema }).strict();
