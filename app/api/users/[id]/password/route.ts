// POST /api/users/:id/password {newPassword}: an administrator (signed in, not a token) sets
// another user's password; every session of that user ends.
import { AppError } from "@/lib/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { resetUserPassword } from "@/lib/data/passwords";
import { idSchema } from "@/lib/validations/build";
import { resetPasswordSchema } from "@/lib/validations/manage";

export const POST = apiRoute<{ id: string }>("ADMIN", async ({ request, params, actor }) => {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "only a signed-in administrator can reset a password");
  const userId = idSchema.parse(params.id);
  const { newPassword } = resetPasswordSchema.parse(await readJson(request));
  return resetUserPassword({ userId, newPassword, actingUserId: actor.userId });
});
