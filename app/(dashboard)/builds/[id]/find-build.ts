// Reads a build once per request (page and metadata share it); null when it does not exist.
import "server-only";
import { cache } from "react";
import { getBuild } from "@/lib/data/builds";
import { nullIfNotFound } from "@/lib/data/not-found";
import { idSchema } from "@/lib/validations/build";

export const findBuild = cache(async (id: string) => (idSchema.safeParse(id).success ? nullIfNotFound(getBuild(id)) : null));
