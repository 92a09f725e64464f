import { apiRoute } from "@/lib/api/route";
import { getBuildStatus } from "@/lib/data/builds";
import { findLogLines } from "@/lib/data/build-logs";
import { idSchema } from "@/lib/validations/build";

// The whole log as plain text (ANSI codes kept), for download.
export const GET = apiRoute<{ id: string }>("VIEWER", async ({ params }) => {
  const id = idSchema.parse(params.id);
  await getBuildStatus(id);
  const chunks: string[] = [];
  for (let after = 0; ; ) {
    const lines = await findLogLines(id, after, 5000);
    if (!lines.length) break;
    chunks.push(...lines.map((l) => l.text));
    after = lines[lines.length - 1].seq;
  }
  return new Response(chunks.join("\n") + "\n", {
    headers: { "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="build-${id}.log"` },
  });
});
