// Which build args are secrets, and masking them: the one pattern list (documented in
// docs/security.md, "Secret build args"). Pure: the variant form uses it to warn, the
// mappers to mask what any page or API answer shows, the pipeline to mask what it stores
// (log lines, layer instructions, smoke output, errors).

/** Where the variant form points for build secrets instead of secret build args. */
export const SECRET_ARGS_DOCS = "docs/security.md → Secret build args";

/** What replaces a secret value wherever it would be shown or stored. */
export const SECRET_MASK = "***";

/**
 * Names that look like secrets, matched case-insensitively against the whole name:
 * a suffix (`GITHUB_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY` → `_KEY`), or the bare word
 * (`TOKEN`, `PASSWORD`, `APIKEY`).
 */
export const SECRET_ARG_PATTERNS: readonly RegExp[] = [
  /(^|_)TOKEN$/i,
  /(^|_)PASSWORD$/i,
  /(^|_)PASSWD$/i,
  /(^|_)PASS$/i,
  /(^|_)PWD$/i,
  /(^|_)SECRET$/i,
  /(^|_)SECRET_[A-Z0-9_]*$/i,
  /(^|_)KEY$/i,
  /(^|_)API_?KEY$/i,
  /(^|_)CREDENTIALS?$/i,
  /(^|_)AUTH$/i,
  /(^|_)PRIVATE_KEY$/i,
  /^NPM_?TOKEN$/i,
];

/**
 * Secret values shorter than this are not searched for in logs and layer instructions
 * (they would mask ordinary text everywhere); their value is still masked as an arg.
 */
export const MIN_MASKED_VALUE_LENGTH = 4;

export const isSecretArgName = (name: string, markedSecret: readonly string[] = []): boolean =>
  markedSecret.includes(name) || SECRET_ARG_PATTERNS.some((pattern) => pattern.test(name));

/** The args with every secret one's value replaced by `***` (a new object). */
export const maskBuildArgs = (args: Record<string, string>, markedSecret: readonly string[] = []): Record<string, string> =>
  Object.fromEntries(Object.entries(args).map(([name, value]) => [name, isSecretArgName(name, markedSecret) ? SECRET_MASK : value]));

/** The secret values of `args`, longest first (so a value containing another is masked whole). */
export const secretValuesOf = (args: Record<string, string>, markedSecret: readonly string[] = []): string[] =>
  [
    ...new Set(
      Object.entries(args)
        .filter(([name, value]) => isSecretArgName(name, markedSecret) && value.length >= MIN_MASKED_VALUE_LENGTH)
        .map(([, value]) => value),
    ),
  ].sort((a, b) => b.length - a.length);

export type SecretMasker = (text: string) => string;

/** A function that replaces every occurrence of any of `values` in a text by `***`. */
export const createSecretMasker = (values: readonly string[]): SecretMasker => {
  const usable = values.filter((value) => value.length >= MIN_MASKED_VALUE_LENGTH);
  if (!usable.length) return (text) => text;
  return (text) => {
    let masked = text;
    for (const value of usable) if (masked.includes(value)) masked = masked.split(value).join(SECRET_MASK);
    return masked;
  };
};

/** The masker for a variant's (or a build's frozen) settings. */
export const maskerForSettings = (settings: { buildArgs?: unknown; secretArgs?: unknown }): SecretMasker =>
  createSecretMasker(secretValuesOf(asArgs(settings.buildArgs), asNames(settings.secretArgs)));

/** A build's frozen settings with its secret build args masked (for DTOs). */
export const maskSettings = (settings: Record<string, unknown>): Record<string, unknown> =>
  settings.buildArgs && typeof settings.buildArgs === "object"
    ? { ...settings, buildArgs: maskBuildArgs(asArgs(settings.buildArgs), asNames(settings.secretArgs)) }
    : settings;

const asArgs = (value: unknown): Record<string, string> =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
    : {};

const asNames = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
