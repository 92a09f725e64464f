// Who owns the bytes: Debian, Python and Alpine packages of the final filesystem.
// STUB (issue 11, the analysers' helper replaces it).
import type { FinalFilesystem, PackageRecord, UnownedGroup } from "@/lib/content/types";

export type PackageOwnership = {
  packages: PackageRecord[];
  unowned: UnownedGroup[];
  /** "deb:libexpat1" style key of the package that owns a path, if any. */
  ownerOf: (path: string) => string | undefined;
};

export const findPackages = (_fs: FinalFilesystem): PackageOwnership => ({
  packages: [],
  unowned: [],
  ownerOf: () => undefined,
});
