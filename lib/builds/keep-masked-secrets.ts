// Secret build-arg values are never shown (the edit form gets `***`): a secret arg sent back as
// `***` keeps its stored value, a new value replaces it, a removed arg goes. Pure.
import { SECRET_MASK, isSecretArgName } from "@/lib/builds/secret-args";

export const keepMaskedSecrets = (next: Record<string, string>, stored: Record<string, string>, markedSecret: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(next).map(([name, value]) => [name, value === SECRET_MASK && isSecretArgName(name, markedSecret) && Object.hasOwn(stored, name) ? stored[name] : value]),
  );
