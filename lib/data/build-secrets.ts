// Build secrets of a project and of its variants (issue 17 item 6). Values are stored sealed
// (lib/notifications/secret-box.ts); what this module returns to views is names and times only.
import "server-only";
import { db } from "@/lib/db";

/** What the API and pages may show: never the value. */
export type BuildSecretView = { name: string; updatedAt: string };

const toView = (row: { name: string; updatedAt: Date }): BuildSecretView => ({ name: row.name, updatedAt: row.updatedAt.toISOString() });
const byName = { name: "asc" } as const;

export const findProjectSecrets = async (projectId: string): Promise<BuildSecretView[]> =>
  (await db.projectSecret.findMany({ where: { projectId }, select: { name: true, updatedAt: true }, orderBy: byName })).map(toView);

export const findVariantSecrets = async (variantId: string): Promise<BuildSecretView[]> =>
  (await db.variantSecret.findMany({ where: { variantId }, select: { name: true, updatedAt: true }, orderBy: byName })).map(toView);

export const saveProjectSecret = async (projectId: string, name: string, valueCiphertext: string): Promise<void> => {
  await db.projectSecret.upsert({ where: { projectId_name: { projectId, name } }, create: { projectId, name, valueCiphertext }, update: { valueCiphertext } });
};

export const saveVariantSecret = async (variantId: string, name: string, valueCiphertext: string): Promise<void> => {
  await db.variantSecret.upsert({ where: { variantId_name: { variantId, name } }, create: { variantId, name, valueCiphertext }, update: { valueCiphertext } });
};

/** Whether a secret of that name was there to delete. */
export const deleteProjectSecret = async (projectId: string, name: string): Promise<boolean> =>
  (await db.projectSecret.deleteMany({ where: { projectId, name } })).count > 0;

export const deleteVariantSecret = async (variantId: string, name: string): Promise<boolean> =>
  (await db.variantSecret.deleteMany({ where: { variantId, name } })).count > 0;

/** The sealed values a build of the variant gets, by name: the variant's override the project's. */
export const findEffectiveSecretCiphertexts = async (projectId: string, variantId: string): Promise<Map<string, string>> => {
  const [project, variant] = await Promise.all([
    db.projectSecret.findMany({ where: { projectId }, select: { name: true, valueCiphertext: true } }),
    db.variantSecret.findMany({ where: { variantId }, select: { name: true, valueCiphertext: true } }),
  ]);
  return new Map([...project, ...variant].map((row) => [row.name, row.valueCiphertext]));
};
