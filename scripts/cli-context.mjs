// layerboard CLI: packs a checkout into a .tar.gz build context honouring its .dockerignore,
// the way `docker build .` does (moby/patternmatcher semantics: last match wins, `!` re-includes,
// `*` `?` within one path segment, `**` across segments, a pattern matching a directory
// excludes what is under it). Plain Node, no dependencies. The server applies the
// .dockerignore again when it builds; packing here keeps ignored files (secrets) off the wire.
import fs from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const escapeRegex = (text) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");

/** One .dockerignore pattern as a regular expression over a slash-separated relative path. */
const patternToRegex = (pattern) => {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        // "**/" matches zero or more directories; a trailing "**" everything below.
        if (pattern[i + 1] === "/") {
          i++;
          source += "(?:.*/)?";
        } else source += ".*";
      } else source += "[^/]*";
    } else if (c === "?") source += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) source += escapeRegex(pattern[++i]);
    else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`);
};

const cleanPattern = (raw) => {
  const trimmed = raw.trim();
  const negated = trimmed.startsWith("!");
  const body = path.posix.normalize((negated ? trimmed.slice(1) : trimmed).trim()).replace(/^\/+/, "").replace(/\/+$/, "");
  return { negated, body };
};

export const parseDockerignore = (text) =>
  text
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.trim().startsWith("#"))
    .map(cleanPattern)
    .filter((p) => p.body && p.body !== ".")
    .map((p) => ({ ...p, regex: patternToRegex(p.body) }));

/** Whether a relative path (or one of its parent directories) is excluded; the last matching pattern decides. */
export const isIgnored = (patterns, relative) => {
  const parents = relative.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const pattern of patterns) if (parents.some((candidate) => pattern.regex.test(candidate))) ignored = !pattern.negated;
  return ignored;
};

// ---- a minimal ustar writer ----

const octal = (value, width) => value.toString(8).padStart(width - 1, "0") + "\0";

const splitName = (name) => {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: "" };
  const at = name.lastIndexOf("/", 155);
  if (at > 0 && Buffer.byteLength(name.slice(0, at)) <= 155 && Buffer.byteLength(name.slice(at + 1)) <= 100) return { name: name.slice(at + 1), prefix: name.slice(0, at) };
  throw new Error(`path too long for the context archive: ${name}`);
};

const tarHeader = ({ name, mode, size, mtime, type, linkname = "" }) => {
  const header = Buffer.alloc(512);
  const parts = splitName(name);
  header.write(parts.name, 0, 100);
  header.write(octal(mode & 0o7777, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(Math.floor(mtime / 1000), 12), 136);
  header.write("        ", 148);
  header.write(type, 156);
  header.write(linkname, 157, 100);
  header.write("ustar\u000000", 257);
  header.write(parts.prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148);
  return header;
};

const padding = (size) => Buffer.alloc((512 - (size % 512)) % 512);

/**
 * Packs `dir` into a gzipped tar, skipping what its .dockerignore excludes (the Dockerfile and
 * .dockerignore themselves are always sent, as docker does). Refuses more than `maxBytes` of
 * file data before gzip.
 */
export const packContext = async (dir, { maxBytes = 512 * 1024 * 1024, onProgress = () => undefined } = {}) => {
  const root = await fs.realpath(dir);
  const ignoreText = await fs.readFile(path.join(root, ".dockerignore"), "utf8").catch(() => "");
  const patterns = parseDockerignore(ignoreText);
  const alwaysSent = new Set([".dockerignore", "Dockerfile"]);
  const chunks = [];
  let files = 0;
  let skipped = 0;
  let bytes = 0;
  const walk = async (relativeDir) => {
    const entries = (await fs.readdir(path.join(root, relativeDir), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (isIgnored(patterns, relative) && !alwaysSent.has(relative)) {
        // A re-included path below an ignored directory still needs the walk.
        if (!(entry.isDirectory() && patterns.some((p) => p.negated && p.body.startsWith(`${relative}/`)))) {
          skipped++;
          continue;
        }
      }
      const full = path.join(root, relative);
      const stat = await fs.lstat(full);
      if (entry.isDirectory()) {
        chunks.push(tarHeader({ name: `${relative}/`, mode: stat.mode, size: 0, mtime: stat.mtimeMs, type: "5" }));
        await walk(relative);
      } else if (entry.isSymbolicLink()) {
        chunks.push(tarHeader({ name: relative, mode: stat.mode, size: 0, mtime: stat.mtimeMs, type: "2", linkname: await fs.readlink(full) }));
      } else if (entry.isFile()) {
        bytes += stat.size;
        if (bytes > maxBytes) throw new Error(`the context is larger than ${maxBytes} bytes (before compression): add what the build does not need to .dockerignore`);
        const data = await fs.readFile(full);
        chunks.push(tarHeader({ name: relative, mode: stat.mode, size: data.length, mtime: stat.mtimeMs, type: "0" }), data, padding(data.length));
        files++;
        if (files % 500 === 0) onProgress({ files, bytes });
      }
    }
  };
  await walk("");
  chunks.push(Buffer.alloc(1024));
  const archive = gzipSync(Buffer.concat(chunks));
  return { archive, files, skipped, bytes };
};
