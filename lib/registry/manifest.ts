// Parses what a registry answers for a manifest (Docker schema 2 and OCI image manifests) and
// its authentication challenges. Pure; lib/registry/registry-client.ts does the requests.
import { z } from "zod";

export const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
].join(", ");

const descriptorSchema = z.object({ mediaType: z.string().default(""), digest: z.string().regex(/^sha256:[0-9a-f]{64}$/), size: z.number().int().nonnegative() });

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema).max(1000),
});

export type ManifestLayer = z.infer<typeof descriptorSchema>;
export type ImageManifest = { digest: string; mediaType: string; config: ManifestLayer; layers: ManifestLayer[] };

export class ManifestFormatError extends Error {}

export const parseManifest = (body: string, digest: string, contentType: string | null): ImageManifest => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ManifestFormatError("the registry's manifest is not JSON");
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new ManifestFormatError(`the registry's manifest is not an image manifest: ${parsed.error.issues[0]?.message ?? "unknown shape"}`);
  return { digest, mediaType: parsed.data.mediaType ?? contentType ?? "", config: parsed.data.config, layers: parsed.data.layers };
};

export type AuthChallenge = { scheme: "basic" } | { scheme: "bearer"; realm: string; service: string | null; scope: string | null } | null;

/** `WWW-Authenticate: Bearer realm="https://auth/token",service="reg",scope="repository:x:pull"` or `Basic realm="…"`. */
export const parseAuthChallenge = (header: string | null): AuthChallenge => {
  if (!header) return null;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  if (/^basic$/i.test(scheme)) return { scheme: "basic" };
  if (!/^bearer$/i.test(scheme)) return null;
  const params = new Map<string, string>();
  for (const match of rest.join(" ").matchAll(/([a-z_]+)="([^"]*)"/gi)) params.set(match[1].toLowerCase(), match[2]);
  const realm = params.get("realm");
  if (!realm) return null;
  return { scheme: "bearer", realm, service: params.get("service") ?? null, scope: params.get("scope") ?? null };
};
