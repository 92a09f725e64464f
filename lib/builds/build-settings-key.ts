// Pure: the part of a variant's frozen settings that decides what image a commit builds into, as
// one comparable string. Two builds of one commit with the same key are interchangeable (a
// pull-request report reuses one instead of building again); names, budgets and positions are not
// part of it.
const IMAGE_SETTINGS = ["dockerfile", "target", "buildArgs", "secretArgs", "smokeCommand", "smokePrivileges", "builder", "noCache", "runtimeDockerfile", "artifactPath"] as const;

const stable = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, stable(v)]),
    );
  return value;
};

export const buildSettingsKey = (settings: Record<string, unknown>): string =>
  JSON.stringify(IMAGE_SETTINGS.map((name) => [name, stable(settings[name] ?? null)]));
