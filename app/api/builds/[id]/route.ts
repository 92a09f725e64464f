import { apiRoute } from "@/lib/api/route";
import { getBuild } from "@/lib/data/builds";
import { idSchema } from "@/lib/validations/build";

export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => ({ build: await getBuild(idSchema.parse(params.id)) }));
