import { apiRoute, readJson } from "@/lib/api/route";
import { createProject, findProjects } from "@/lib/data/projects";
import { projectSchema } from "@/lib/validations/build";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";

export const GET = apiRoute("VIEWER", async () => ({ projects: await findProjects() }));

export const POST = apiRoute(
  "ADMIN",
  async ({ request }) => {
    const input = projectSchema.parse(await readJson(request));
    await assertProjectContextAllowed(input);
    return { project: await createProject(input) };
  },
  { status: 201 },
);
