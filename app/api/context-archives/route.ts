// Upload of an ARCHIVE build context: multipart/form-data with the .tar / .tar.gz in the
// field `archive`. The size limit is enforced while the body streams in, and the archive is
// extracted once (then removed) so that a bad one is refused here, not at build time.
import path from "node:path";
import { apiRoute, readBodyWithLimit } from "@/lib/api/route";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { formatBytes } from "@/lib/format/bytes";
import { openContext } from "@/lib/builds/context/open-context";
import { createContextArchive } from "@/lib/data/context-archives";

// Room for the multipart boundary and part headers around the file itself.
const MULTIPART_OVERHEAD = 16 * 1024;

const tooLarge = (limit: number) =>
  new AppError("PAYLOAD_TOO_LARGE", `archive: the upload is larger than the ${formatBytes(limit)} limit (LAYERBOARD_MAX_UPLOAD_BYTES)`);

/** Reads the body, refusing it from Content-Length or as soon as the bytes read pass the limit. */
const readUpload = async (request: Request, limit: number): Promise<Buffer> => {
  if (!request.body) throw new AppError("VALIDATION", "archive: the request has no body");
  return readBodyWithLimit(request, limit + MULTIPART_OVERHEAD, () => tooLarge(limit));
};

// Shown back to people and stored: a base name without control characters.
const cleanFilename = (name: string) => {
  const base = path.posix.basename(name.replaceAll("\\", "/")).replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return (base || "context.tar").slice(0, 255);
};

const readArchiveField = async (request: Request, limit: number): Promise<{ filename: string; data: Buffer }> => {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError("VALIDATION", "archive: send multipart/form-data with the file in the field `archive`");
  }
  const body = await readUpload(request, limit);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError("VALIDATION", "archive: the multipart body could not be read");
  }
  const file = form.get("archive");
  if (!file || typeof file === "string") throw new AppError("VALIDATION", "archive: attach a .tar or .tar.gz file in the field `archive`");
  if (file.size > limit) throw tooLarge(limit);
  if (file.size === 0) throw new AppError("VALIDATION", "archive: the file is empty");
  return { filename: cleanFilename(file.name), data: Buffer.from(await file.arrayBuffer()) };
};

/** Extracts the archive into a temporary directory and removes it: any refusal becomes a 400. */
const assertArchiveOpens = async (data: Buffer, filename: string, limit: number) => {
  try {
    const context = await openContext({ kind: "ARCHIVE", data, filename }, { maxArchiveBytes: limit });
    await context.cleanup();
  } catch (error) {
    // Too many entries or too large once expanded: the upload was fine, its content is not.
    if (isAppError(error) && error.code === "PAYLOAD_TOO_LARGE") throw new AppError("CONTEXT_REFUSED", error.message);
    throw error;
  }
};

export const POST = apiRoute(
  "ADMIN",
  async ({ request }) => {
    const limit = getEnv().LAYERBOARD_MAX_UPLOAD_BYTES;
    const { filename, data } = await readArchiveField(request, limit);
    await assertArchiveOpens(data, filename, limit);
    const { id, size, sha256 } = await createContextArchive({ filename, data });
    return { archive: { id, filename, size, sha256 } };
  },
  { status: 201 },
);
