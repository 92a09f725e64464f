// First-start seeding: the administrator and, when its context is allowed, the example
// project. Idempotent: running it again changes nothing that exists.
import "server-only";
import { ensureAdminUser } from "@/lib/data/users";
import { createExampleProject, EXAMPLE_PROJECT_CONTEXT, hasExampleProject } from "@/lib/data/seed";
import { assertProjectContextAllowed } from "@/lib/builds/context-policy";

export const seedExampleProject = async (): Promise<{ created: boolean; skipped?: string }> => {
  if (await hasExampleProject()) return { created: false };
  try {
    await assertProjectContextAllowed(EXAMPLE_PROJECT_CONTEXT);
  } catch (error) {
    return { created: false, skipped: `examples/pyapp is not under LAYERBOARD_CONTEXT_ROOTS (${(error as Error).message})` };
  }
  await createExampleProject();
  return { created: true };
};

export const seed = async (admin: { email: string; password: string }) => {
  const adminResult = await ensureAdminUser(admin.email, admin.password);
  const example = await seedExampleProject();
  return { adminCreated: adminResult.created, exampleCreated: example.created, exampleSkipped: example.skipped };
};
