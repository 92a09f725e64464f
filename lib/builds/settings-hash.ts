// A hash of the variant settings that decide what a build produces, so a backfill can tell a
// commit already built "with the same settings" from one built before the variant changed.
// Pure; computed alike from a variant row and from a build's frozen settings JSON.
import { createHash } from "node:crypto";

/** The settings that change the image or its smoke run (not the name, budget or threshold). */
export const BUILD_SETTING_KEYS = [
  "strategy",
  "dockerfile",
  "target",
  "buildArgs",
  "secretArgs",
  "smokeCommand",
  "smokePrivileges",
  "builder",
  "noCache",
  "runtimeDockerfile",
  "artifactPath",
] as const;

// JSON with object keys sorted, so {a,b} and {b,a} hash alike.
const stable = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
};

const DEFAULTS: Record<string, unknown> = { target: null, buildArgs: {}, secretArgs: [], smokeCommand: null, smokePrivileges: "STRICT", noCache: false, runtimeDockerfile: null, artifactPath: null };

export const hashBuildSettings = (settings: Record<string, unknown>): string => {
  const picked = Object.fromEntries(BUILD_SETTING_KEYS.map((key) => [key, settings[key] ?? DEFAULTS[key] ?? null]));
  return createHash("sha256").update(stable(picked)).digest("hex").slice(0, 32);
};
