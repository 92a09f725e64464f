// Schemas for retention input: a build's pin, a project's K and D (blank: the global default).
import { z } from "zod";

export const pinBuildSchema = z.object({ pinned: z.boolean() });

const optionalCount = (max: number, what: string) =>
  z.preprocess(
    (value) => (value === "" || value === undefined ? null : value),
    z.coerce.number().int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).max(max, `${what} must be at most ${max}`).nullable(),
  );

export const projectRetentionSchema = z.object({
  retainBuilds: optionalCount(1000, "builds kept per variant"),
  retainLogDays: optionalCount(3650, "days of logs"),
});
export type ProjectRetentionInput = z.infer<typeof projectRetentionSchema>;
