// Where a build's image goes in a project's registry: the repository (host, prefix, project) and
// the tag (variant and commit, else build id). Pure; the engine and the registry API read these.
import { z } from "zod";

/** host[:port], no scheme, no path: what `docker push HOST/repo` accepts as a registry. */
export const registryHostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/i, "a registry host is host or host:port, without scheme or path");

/** Path components of a repository: lowercase, digits, separators (the distribution spec's grammar). */
export const repositoryPrefixSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^([a-z0-9]+([._-][a-z0-9]+)*)(\/[a-z0-9]+([._-][a-z0-9]+)*)*$|^$/, "a repository prefix is lowercase path components (team/images)");

export type RegistryTarget = {
  host: string;
  /** "" or path components: team/images */
  repository: string;
  username: string | null;
  password: string | null;
  insecure: boolean;
};

const slugPart = (text: string) =>
  text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";

/** The repository path inside the registry (no host): prefix/project-slug. */
export const repositoryPathFor = (target: Pick<RegistryTarget, "repository">, projectSlug: string) =>
  [target.repository, slugPart(projectSlug)].filter(Boolean).join("/");

/** A tag is at most 128 characters of [A-Za-z0-9_.-], not starting with . or -. */
export const pushTagFor = (variantName: string, revision: string | null, buildId: string) => {
  const suffix = revision && /^[0-9a-f]{7,64}$/i.test(revision) ? revision.slice(0, 12).toLowerCase() : buildId.toLowerCase();
  return `${slugPart(variantName).slice(0, 100)}-${suffix}`.slice(0, 128);
};

export const imageReferenceFor = (target: Pick<RegistryTarget, "host" | "repository">, projectSlug: string, tag: string) =>
  `${target.host}/${repositoryPathFor(target, projectSlug)}:${tag}`;

/** Loopback registries are plain HTTP for the engine without configuration; so are they here. */
export const isLoopbackHost = (host: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i.test(host);

export const registryBaseUrl = (target: Pick<RegistryTarget, "host" | "insecure">) =>
  `${target.insecure || isLoopbackHost(target.host) ? "http" : "https"}://${target.host}`;

/** Splits `host/path:tag` or `host/path@sha256:…` of the project's registry into path and reference. */
export const splitImageReference = (reference: string): { host: string; path: string; tag: string } | null => {
  const match = /^([^/]+)\/([^:@]+)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(reference.trim());
  if (!match) return null;
  return { host: match[1], path: match[2], tag: match[4] ?? match[3] ?? "latest" };
};
