import { signedRoute } from "@/lib/api/route";
import { receivePush } from "@/lib/push/receive-push";
import { idSchema } from "@/lib/validations/build";

// Incoming push webhook (GitHub, GitLab, Gitea, generic; docs/push.md). No session or token:
// the signature with the project's push secret is the authentication.
export const POST = signedRoute<{ id: string }>(async ({ request, params }) => receivePush(idSchema.parse(params.id), request));
