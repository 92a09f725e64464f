import { apiRoute } from "@/lib/api/route";
import { requestBuildCancel } from "@/lib/data/build-status";
import { idSchema } from "@/lib/validations/build";

// 202: a running build stops on its worker's next heartbeat (about two seconds).
export const POST = apiRoute<{ id: string }>(
  "BUILDER",
  async ({ params }) => ({ status: await requestBuildCancel(idSchema.parse(params.id)) }),
  { status: 202 },
);
