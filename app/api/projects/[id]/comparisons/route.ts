import { apiRoute } from "@/lib/api/route";
import { startComparison } from "@/lib/builds/start-comparison";
import { idSchema } from "@/lib/validations/build";

// Compare-all: queues every variant of the project as one comparison.
export const POST = apiRoute<{ id: string }>(
  "BUILDER",
  async ({ params }) => ({ comparison: await startComparison(idSchema.parse(params.id)) }),
  { status: 201 },
);
