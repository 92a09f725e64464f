// Resolves an ELF object's PT_INTERP and DT_NEEDED inside a FinalFilesystem the way glibc's
// ld.so searches (ld.so(8)), to tell which libraries a binary cannot load:
//   1. a name with a slash is a path (relative ones against the working directory);
//   2. DT_RPATH of the loading object, then of its loaders up to the executable — only when the
//      loading object has no DT_RUNPATH (a DT_RUNPATH disables that object's DT_RPATH entirely);
//   3. LD_LIBRARY_PATH (from the image's Env);
//   4. DT_RUNPATH of the loading object only (not inherited);
//   5. the directories of /etc/ld.so.conf and its includes (ld.so.cache is built from them by
//      ldconfig; we search the directories themselves, so a library added after the last ldconfig
//      counts as found, as it would after the next one);
//   6. the default and multiarch directories.
// $ORIGIN is the directory of the executable's real path (the kernel's /proc/self/exe) or of the
// path a library was found under; $LIB and $PLATFORM expand to each value they take on the
// object's architecture. A candidate of another ELF class or machine is skipped, as ld.so does.
import type { ElfInfo, FinalFilesystem, ImageRuntimeConfig } from "@/lib/content/types";
import { dirnameOf, joinPath, normalisePath, regularFileOf, resolvePath } from "@/lib/content/fs-paths";

/** Transitive needs followed from one binary: depth and objects, so a pathological image stays bounded. */
export const LD_MAX_DEPTH = 16;
export const LD_MAX_OBJECTS = 512;
const LD_CONF_MAX_INCLUDE_DEPTH = 8;

type Arch = { multiarch: string[]; platform: string[]; lib: string[] };

const ARCHES: Record<string, Arch> = {
  "62/64": { multiarch: ["x86_64-linux-gnu"], platform: ["x86_64", "haswell", "xeon_phi"], lib: ["lib64", "lib/x86_64-linux-gnu", "lib"] },
  "3/32": { multiarch: ["i386-linux-gnu"], platform: ["i686", "i586", "i386"], lib: ["lib", "lib32", "lib/i386-linux-gnu"] },
  "62/32": { multiarch: ["x86_64-linux-gnux32"], platform: ["x86_64"], lib: ["libx32", "lib/x86_64-linux-gnux32"] },
  "183/64": { multiarch: ["aarch64-linux-gnu"], platform: ["aarch64"], lib: ["lib64", "lib/aarch64-linux-gnu", "lib"] },
  "40/32": { multiarch: ["arm-linux-gnueabihf", "arm-linux-gnueabi"], platform: ["v7l", "v6l", "v8l"], lib: ["lib", "lib/arm-linux-gnueabihf"] },
  "243/64": { multiarch: ["riscv64-linux-gnu"], platform: ["riscv64"], lib: ["lib64", "lib/riscv64-linux-gnu", "lib"] },
  "21/64": { multiarch: ["powerpc64le-linux-gnu"], platform: ["power8", "power9", "ppc64le"], lib: ["lib64", "lib/powerpc64le-linux-gnu", "lib"] },
  "22/64": { multiarch: ["s390x-linux-gnu"], platform: ["z196", "s390x"], lib: ["lib64", "lib/s390x-linux-gnu", "lib"] },
};
const archOf = (elf: Pick<ElfInfo, "bits" | "machine">): Arch =>
  ARCHES[`${elf.machine}/${elf.bits}`] ?? { multiarch: [], platform: [], lib: [elf.bits === 64 ? "lib64" : "lib", "lib"] };

export const defaultLibraryDirs = (elf: Pick<ElfInfo, "bits" | "machine">): string[] => {
  const arch = archOf(elf);
  return [
    ...arch.multiarch.flatMap((triple) => [`/lib/${triple}`, `/usr/lib/${triple}`]),
    ...(elf.bits === 64 ? ["/lib64", "/usr/lib64"] : ["/lib32", "/usr/lib32"]),
    "/lib",
    "/usr/lib",
    // musl's default path (glibc does not search it unless ld.so.conf says so; musl does).
    "/usr/local/lib",
  ];
};

/** `$ORIGIN`, `${ORIGIN}`, `$LIB`, `$PLATFORM` expanded; one entry may become several ($LIB and $PLATFORM have one value per ABI). */
export const expandSearchDir = (dir: string, origin: string, elf: Pick<ElfInfo, "bits" | "machine">): string[] => {
  const arch = archOf(elf);
  let out = [dir.replace(/\$\{ORIGIN\}|\$ORIGIN(?![A-Za-z0-9_])/g, origin)];
  const expand = (token: string, values: string[]) => {
    const pattern = new RegExp(`\\$\\{${token}\\}|\\$${token}(?![A-Za-z0-9_])`);
    const all = new RegExp(pattern.source, "g");
    out = out.flatMap((d) => (pattern.test(d) ? values.map((value) => d.replace(all, value)) : [d]));
  };
  expand("LIB", arch.lib);
  expand("PLATFORM", arch.platform);
  // A relative entry (no $ORIGIN) is relative to the process' working directory: ld.so allows it, we resolve from "/".
  return out.map((d) => normalisePath(d.startsWith("/") ? d : `/${d}`));
};

const globToRegExp = (glob: string) =>
  new RegExp(
    "^" +
      glob
        .split("")
        .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : /[.+^${}()|\\]/.test(c) ? `\\${c}` : c))
        .join("") +
      "$",
  );

/** The directories /etc/ld.so.conf names, with `include` globs read from the captured ld.so.conf.d files. */
export const readLdSoConf = (fs: FinalFilesystem): string[] => {
  const dirs: string[] = [];
  const seen = new Set<string>();
  const readFile = (path: string, depth: number) => {
    const file = fs.captured.get(path);
    if (!file || seen.has(path) || depth > LD_CONF_MAX_INCLUDE_DEPTH) return;
    seen.add(path);
    for (const raw of file.content.split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      if (!line) continue;
      const include = /^include\s+(.+)$/.exec(line);
      if (include) {
        for (const pattern of include[1].trim().split(/\s+/)) {
          const absolute = joinPath(dirnameOf(path), pattern);
          const matcher = globToRegExp(absolute);
          // glob(3) returns matches sorted; ldconfig reads them in that order.
          for (const candidate of [...fs.captured.keys()].filter((key) => matcher.test(key)).sort()) readFile(candidate, depth + 1);
        }
        continue;
      }
      if (/^hwcap\s/.test(line)) continue;
      // Old form "dir=type" (libc5 days): the directory is before the "=".
      for (const dir of line.split(/[:\s,]+/)) if (dir.startsWith("/")) dirs.push(normalisePath(dir.replace(/=.*$/, "")));
    }
  };
  readFile("/etc/ld.so.conf", 0);
  return [...new Set(dirs)];
};

export type MissingLibrary = {
  /** The DT_NEEDED name (or path) that no search directory holds. */
  name: string;
  /** The object whose DT_NEEDED it is: the binary itself, or a library it loads. */
  neededBy: string;
};

export type BinaryLinkage = {
  path: string;
  interpreter: string | null;
  interpreterFound: boolean;
  missing: MissingLibrary[];
};

type Loaded = { path: string; origin: string; elf: ElfInfo; loaders: Loaded[] };

/** Resolves the libraries of many binaries of one filesystem, sharing the directory lookups between them. */
export const createLibraryResolver = (fs: FinalFilesystem, config: Pick<ImageRuntimeConfig, "env" | "workingDir">) => {
  const confDirs = readLdSoConf(fs);
  const ldLibraryPath = (() => {
    const value = config.env.find((pair) => pair.startsWith("LD_LIBRARY_PATH="))?.slice("LD_LIBRARY_PATH=".length);
    if (value === undefined) return [];
    // An empty element means the working directory.
    return value.split(/[:;]/).map((dir) => joinPath(config.workingDir || "/", dir || "."));
  })();
  const lookups = new Map<string, { path: string; elf: ElfInfo | null } | null>();

  /** `dir/name` when it exists as a loadable object of the same class and machine; null otherwise. */
  const lookIn = (dir: string, name: string, want: ElfInfo): { path: string; elf: ElfInfo | null } | null => {
    const candidate = joinPath(dir, name);
    const key = `${candidate}\0${want.bits}/${want.machine}`;
    if (lookups.has(key)) return lookups.get(key) ?? null;
    const resolved = resolvePath(fs, candidate);
    let result: { path: string; elf: ElfInfo | null } | null = null;
    if (resolved.found) {
      const file = regularFileOf(fs, resolved.entry);
      // A file the indexer could not read as ELF (a linker script, a truncated read) is taken as loadable: no false alarm.
      if (file && (!file.elf || (file.elf.bits === want.bits && file.elf.machine === want.machine))) {
        result = { path: candidate, elf: file.elf ?? null };
      }
    }
    lookups.set(key, result);
    return result;
  };

  const searchDirs = (loader: Loaded): string[] => {
    const dirs: string[] = [];
    const expand = (list: string[], origin: string) => list.flatMap((dir) => expandSearchDir(dir, origin, loader.elf));
    if (loader.elf.runpath.length === 0) {
      for (const object of [loader, ...loader.loaders]) {
        if (object.elf.runpath.length === 0) dirs.push(...expand(object.elf.rpath, object.origin));
      }
    }
    dirs.push(...ldLibraryPath);
    dirs.push(...expand(loader.elf.runpath, loader.origin));
    dirs.push(...confDirs, ...defaultLibraryDirs(loader.elf));
    return [...new Set(dirs)];
  };

  const find = (name: string, loader: Loaded): { path: string; elf: ElfInfo | null } | null => {
    if (name.includes("/")) return lookIn(config.workingDir || "/", name, loader.elf);
    for (const dir of searchDirs(loader)) {
      const hit = lookIn(dir, name, loader.elf);
      if (hit) return hit;
    }
    return null;
  };

  const resolveBinary = (path: string, elf: ElfInfo): BinaryLinkage => {
    const real = resolvePath(fs, path);
    const root: Loaded = { path, origin: dirnameOf(real.found ? real.path : path), elf, loaders: [] };
    const interpreter = elf.interpreter;
    const interpreterFound = interpreter === null || regularFileOf(fs, (() => {
      const r = resolvePath(fs, interpreter);
      return r.found ? r.entry : null;
    })()) !== null;

    const missing: MissingLibrary[] = [];
    const missingKeys = new Set<string>();
    // Breadth first, like ld.so's load order; each library is loaded once (by its found path).
    const loaded = new Set<string>([real.found ? real.path : path]);
    // ld.so matches a DT_NEEDED against the names and SONAMEs already loaded before it searches:
    // a library found through the executable's RUNPATH satisfies the same name needed by a library.
    const loadedNames = new Set<string>(elf.soname ? [elf.soname] : []);
    const queue: Array<{ object: Loaded; depth: number }> = [{ object: root, depth: 0 }];
    while (queue.length > 0 && loaded.size <= LD_MAX_OBJECTS) {
      const { object, depth } = queue.shift()!;
      for (const name of object.elf.needed) {
        if (loadedNames.has(name)) continue;
        const hit = find(name, object);
        if (!hit) {
          const key = `${object.path}\0${name}`;
          if (!missingKeys.has(key)) {
            missingKeys.add(key);
            missing.push({ name, neededBy: object.path });
          }
          continue;
        }
        loadedNames.add(name);
        if (hit.elf?.soname) loadedNames.add(hit.elf.soname);
        const realHit = resolvePath(fs, hit.path);
        const id = realHit.found ? realHit.path : hit.path;
        if (loaded.has(id) || !hit.elf || depth + 1 > LD_MAX_DEPTH) continue;
        loaded.add(id);
        // Named by its real path (the entry in the filesystem); $ORIGIN stays the directory it was found in, as ld.so has it.
        queue.push({ object: { path: id, origin: dirnameOf(hit.path), elf: hit.elf, loaders: [object, ...object.loaders] }, depth: depth + 1 });
      }
    }
    return { path, interpreter, interpreterFound, missing };
  };

  return { resolveBinary, confDirs, ldLibraryPath };
};
