// GET a project (with its active variants; ?archived=1 with the archived ones too);
// PATCH edits it (name, description, context settings, archived); DELETE removes it with
// everything that belongs to it (GET ?dependents=1 says what that is first).
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { getProject } from "@/lib/data/projects";
import { countProjectDependents } from "@/lib/data/manage-projects";
import { removeProject, saveProjectChanges } from "@/lib/builds/manage-projects";
import { idSchema } from "@/lib/validations/build";
import { projectUpdateSchema } from "@/lib/validations/manage";

const querySchema = z.object({ archived: z.enum(["0", "1"]).optional(), dependents: z.enum(["0", "1"]).optional() });

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ request, params }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const project = await getProject(idSchema.parse(params.id), { includeArchived: query.archived === "1" });
  return query.dependents === "1" ? { project, dependents: await countProjectDependents(project.id) } : { project };
});

export const PATCH = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  return { project: await saveProjectChanges(id, projectUpdateSchema.parse(await readJson(request))) };
});

export const DELETE = apiRoute<{ id: string }>("ADMIN", async ({ params }) => removeProject(idSchema.parse(params.id)));
