import { apiRoute, readJson } from "@/lib/api/route";
import { startComparison } from "@/lib/builds/start-comparison";
import { idSchema, startComparisonSchema } from "@/lib/validations/build";

// Compare-all: queues every variant of the project as one comparison; a body is optional
// ({ ref } builds a git project at that branch, tag or commit).
export const POST = apiRoute<{ id: string }>(
  "BUILDER",
  async ({ params, request }) => {
    const { ref } = startComparisonSchema.parse(await readJson(request, { empty: {} }));
    return { comparison: await startComparison(idSchema.parse(params.id), { ref }) };
  },
  { status: 201 },
);
