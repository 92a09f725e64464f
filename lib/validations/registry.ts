// The registry target form and API body (issue 17).
import { z } from "zod";
import { registryHostSchema, repositoryPrefixSchema } from "@/lib/registry/reference";

export const registryTargetSchema = z
  .object({
    host: registryHostSchema,
    repository: repositoryPrefixSchema.default(""),
    username: z.string().trim().max(200).nullish(),
    /** Write-only: omitted keeps the stored one, null or "" removes it. */
    password: z.string().max(4096).nullish(),
    insecure: z.boolean().default(false),
  })
  .strict();
export type RegistryTargetInput = z.infer<typeof registryTargetSchema>;
