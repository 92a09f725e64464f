// POST /api/users/me/password {currentPassword, newPassword}: a signed-in user changes their own
// password; their other sessions end, the one making the change stays. API tokens are refused.
import { AppError } from "@/lib/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { readSessionToken } from "@/lib/auth/actor";
import { changeOwnPassword } from "@/lib/data/passwords";
import { changePasswordSchema } from "@/lib/validations/manage";

export const POST = apiRoute("VIEWER", async ({ request, actor }) => {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "an API token has no password: sign in to change yours");
  const input = changePasswordSchema.parse(await readJson(request));
  return changeOwnPassword({ userId: actor.userId, ...input, keepSessionToken: readSessionToken(request) });
});
