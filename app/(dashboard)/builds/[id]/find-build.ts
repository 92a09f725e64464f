// Reads a build once per request (page and metadata share it); null when it does not exist.
import "server-only";
import { cache } from "react";
import { getBuild } from "@/lib/data/builds";
import { isAppError } from "@/lib/errors";
import { idSchema } from "@/lib/validations/build";

export const loadBuild = cache(async (id: string) => {
  if (!idSchema.safeParse(id).success) return null;
  try {
    return await getBuild(id);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") return null;
    throw error;
  }
});
