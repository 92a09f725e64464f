// PATCH /api/variants/:id {sizeBudgetBytes?, regressionThresholdPct?, budgetBasis?}: a variant's size
// budget. null clears a limit; a field left out keeps its current value.
import { apiRoute, readJson } from "@/lib/api/route";
import { getVariant, updateVariantBudget } from "@/lib/data/projects";
import { idSchema, variantSchema } from "@/lib/validations/build";

// The field rules are the variant form's; unknown fields are refused, not ignored.
const variantBudgetSchema = variantSchema
  .pick({ sizeBudgetBytes: true, regressionThresholdPct: true, budgetBasis: true })
  .strict()
  .refine(
    (body) => body.sizeBudgetBytes !== undefined || body.regressionThresholdPct !== undefined || body.budgetBasis !== undefined,
    "give sizeBudgetBytes, regressionThresholdPct (null clears) and/or budgetBasis (DISK or COMPRESSED)",
  );

export const PATCH = apiRoute<{ id: string }>("ADMIN", async ({ request, params }) => {
  const id = idSchema.parse(params.id);
  const body = variantBudgetSchema.parse(await readJson(request));
  const current = await getVariant(id);
  return {
    variant: await updateVariantBudget(id, {
      sizeBudgetBytes: body.sizeBudgetBytes === undefined ? current.sizeBudgetBytes : body.sizeBudgetBytes,
      regressionThresholdPct: body.regressionThresholdPct === undefined ? current.regressionThresholdPct : body.regressionThresholdPct,
      budgetBasis: body.budgetBasis,
    }),
  };
});
