// DELETE /api/share-links/:id revokes a link; its page answers 404 from then on.
import { apiRoute } from "@/lib/api/route";
import { revokeShareLink } from "@/lib/data/share-links";
import { idSchema } from "@/lib/validations/build";

export const DELETE = apiRoute<{ id: string }>("BUILDER", async ({ params }) => ({ shareLink: await revokeShareLink(idSchema.parse(params.id)) }));
