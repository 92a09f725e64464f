// Which small text files the indexer keeps the content of while it streams a layer, so the
// analysers can read package databases and the dynamic linker's configuration without a
// second pass over the image. Everything else is recorded as metadata only.

/** A captured file bigger than this is recorded as metadata only (a dpkg status of ~3,000 packages is ~3 MB). */
export const CAPTURE_MAX_FILE_BYTES = 8 * 1024 * 1024;
/** All captured content of one layer together; files past it are recorded as metadata only. */
export const CAPTURE_MAX_LAYER_BYTES = 64 * 1024 * 1024;
/** Regular files at least this big get a SHA-256 (duplicate detection, diffs); smaller ones count by size only. */
export const CONTENT_HASH_MIN_BYTES = 4 * 1024;

const CAPTURED = [
  /^\/var\/lib\/dpkg\/status$/,
  // Distroless images keep one status file per package here instead.
  /^\/var\/lib\/dpkg\/status\.d\/[^/]+$/,
  /^\/var\/lib\/dpkg\/info\/[^/]+\.list$/,
  /\/[^/]+\.dist-info\/RECORD$/,
  /\/[^/]+\.dist-info\/METADATA$/,
  /^\/lib\/apk\/db\/installed$/,
  /^\/etc\/ld\.so\.conf$/,
  /^\/etc\/ld\.so\.conf\.d\/[^/]+$/,
  /^\/(etc|usr\/lib)\/os-release$/,
];

export const shouldCapture = (path: string, size: number): boolean =>
  size <= CAPTURE_MAX_FILE_BYTES && CAPTURED.some((pattern) => pattern.test(path));
