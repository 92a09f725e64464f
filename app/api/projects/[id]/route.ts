import { apiRoute } from "@/lib/api/route";
import { getProject } from "@/lib/data/projects";
import { idSchema } from "@/lib/validations/build";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => ({ project: await getProject(idSchema.parse(params.id)) }));
