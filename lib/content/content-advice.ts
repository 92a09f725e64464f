// Advice with measured bytes (issue 11, deliverable 5): what the image's own layers hold that it
// does not need, read from the content index instead of estimated from RUN lines. Bytes are
// the files still in the final filesystem plus the copies a later layer deleted or overwrote
// (WasteReport items): both sit in the layer that wrote them. Each category's bytes come from
// the layer that holds them, so every finding names that layer. Pure.
import { FINDING_CODES, type AdviceLayer, type Finding, type FindingSeverity } from "@/lib/analysis/advice";
import { linesOfLayers } from "@/lib/analysis/dockerfile-lines";
import { formatBytes } from "@/lib/format/bytes";
import type { PackageOwnership } from "@/lib/content/packages";
import type { FinalFilesystem, PackageRecord, WasteReport } from "@/lib/content/types";

export const CONTENT_FINDING_CODES = {
  ...FINDING_CODES,
  npmCacheLeft: "NPM_CACHE_LEFT",
  bytecodeDespiteDontWrite: "PYC_DESPITE_PYTHONDONTWRITEBYTECODE",
  docsLeft: "DOCS_AND_MAN_PAGES",
  testsInSitePackages: "TESTS_IN_SITE_PACKAGES",
  deletedLater: "FILES_DELETED_IN_LATER_LAYER",
  overwrittenLater: "FILES_OVERWRITTEN_IN_LATER_LAYER",
} as const;

/** The codes whose estimate-based findings (lib/analysis/advice.ts) the measured ones replace. */
export const MEASURED_CODES: ReadonlySet<string> = new Set([
  FINDING_CODES.buildToolsInFinalImage,
  FINDING_CODES.aptListsLeft,
  FINDING_CODES.aptCacheLeft,
  FINDING_CODES.pipCacheLeft,
]);

/** Below this, a category is not worth a finding (a lock file, an empty cache directory). */
export const CONTENT_ADVICE_MIN_BYTES = 4096;

// Debian/Alpine packages only building needs: compilers, binutils, headers and -dev packages.
// Runtime libraries that programs may need (libgomp1, libatomic1, libmpfr6 for gawk…) are left out on purpose.
export const BUILD_PACKAGE =
  /^(?:build-essential|build-base|gcc(?:-\d+)?|g\+\+(?:-\d+)?|cpp(?:-\d+)?|clang(?:-\d+)?|llvm(?:-\d+)?|lib(?:gcc|stdc\+\+|objc)-\d+-dev|libc6?-dev|libc-dev-bin|linux-libc-dev|musl-dev|binutils(?:-[a-z0-9_-]+)?|libbinutils|libctf0|libctf-nobfd0|libgprofng0|libisl\d+|libmpc\d+|libcc1-0|lib(?:a|l|t|ub|hwa)san\d+|libitm\d+|make|cmake|ninja-build|autoconf|automake|libtool|pkg-config|pkgconf(?:-bin)?|dpkg-dev|gfortran(?:-\d+)?|rustc|cargo|golang(?:-go)?|.+-dev|.+-devel)$/;

type Category = {
  code: string;
  title: string;
  severity: FindingSeverity;
  match: (path: string) => boolean;
  advice: string;
};

const CATEGORIES = (env: string[]): Category[] => {
  const categories: Category[] = [
    {
      code: FINDING_CODES.aptListsLeft,
      title: "APT package lists left in the image",
      severity: "medium",
      match: (p) => /^\/var\/lib\/apt\/lists(?:\/|$)/.test(p),
      advice: "End the RUN that calls `apt-get update` with `&& rm -rf /var/lib/apt/lists/*` (a later RUN does not shrink the image).",
    },
    {
      code: FINDING_CODES.aptCacheLeft,
      title: "APT cache left in the image",
      severity: "medium",
      match: (p) => /^\/var\/cache\/apt(?:\/|$)/.test(p),
      advice: "Add `&& apt-get clean` (or `rm -rf /var/cache/apt/*`) to the same RUN as the install.",
    },
    {
      code: FINDING_CODES.pipCacheLeft,
      title: "pip cache left in the image",
      severity: "medium",
      match: (p) => /\/\.cache\/pip(?:\/|$)/.test(p),
      advice: "Use `pip install --no-cache-dir`, `ENV PIP_NO_CACHE_DIR=1` or a BuildKit cache mount on ~/.cache/pip.",
    },
    {
      code: CONTENT_FINDING_CODES.npmCacheLeft,
      title: "npm / yarn cache left in the image",
      severity: "medium",
      match: (p) => /\/\.npm\/(?:_cacache|_npx)(?:\/|$)|\/\.cache\/yarn(?:\/|$)|\/\.yarn\/cache(?:\/|$)/.test(p),
      advice: "Run `npm cache clean --force` (or `yarn cache clean`) in the same RUN, or use a BuildKit cache mount.",
    },
    {
      code: CONTENT_FINDING_CODES.docsLeft,
      title: "Documentation and man pages in the image",
      severity: "low",
      match: (p) => /^\/usr\/(?:local\/)?share\/(?:doc|man|info|gtk-doc)(?:\/|$)/.test(p),
      advice:
        "A dpkg path-exclude config (`/etc/dpkg/dpkg.cfg.d/excludes` with `path-exclude=/usr/share/doc/*` and `/usr/share/man/*`) before installing keeps them out; copyright files can be kept with path-include.",
    },
    {
      code: CONTENT_FINDING_CODES.testsInSitePackages,
      title: "Test suites inside installed Python packages",
      severity: "low",
      match: (p) => /\/(?:site|dist)-packages\/(?:[^/]+\/)*?(?:tests?|testing)\//.test(p),
      advice: "Remove them in the same RUN that installs (`find … -type d -name tests -prune -exec rm -rf {} +`), or build the venv in a builder stage and prune it there.",
    },
  ];
  const dontWrite = env.some((pair) => /^PYTHONDONTWRITEBYTECODE=./.test(pair));
  if (dontWrite) {
    categories.push({
      code: CONTENT_FINDING_CODES.bytecodeDespiteDontWrite,
      title: "Compiled .pyc files in an image that sets PYTHONDONTWRITEBYTECODE",
      severity: "low",
      match: (p) => /\.py[co]$/.test(p) && /\/__pycache__\//.test(p),
      advice:
        "PYTHONDONTWRITEBYTECODE stops Python writing bytecode at run time, not pip at install time: add `--no-compile` to pip install (or drop the variable and keep the .pyc, which start faster).",
    });
  }
  return categories;
};

export type ContentAdviceInput = {
  fs: FinalFilesystem;
  packages: Pick<PackageOwnership, "packages">;
  /** The image's history layers as recorded (lib/analysis/advice.ts AdviceLayer). */
  layers: AdviceLayer[];
  /** The image's Env (PYTHONDONTWRITEBYTECODE). */
  env: string[];
  waste?: WasteReport | null;
  dockerfileText?: string | null;
  dockerfileTarget?: string | null;
};

/**
 * Filesystem layer index (0 = lowest diff_id) → history layer: history entries that are not
 * empty layers correspond to the diff_ids one by one, in order.
 */
export const historyOfFsLayers = (layers: AdviceLayer[]): AdviceLayer[] =>
  [...layers].sort((a, b) => a.position - b.position).filter((layer) => !layer.isEmpty);

type Tally = Map<number, { bytes: number; files: number }>;
const tally = (map: Tally, layer: number, bytes: number) => {
  const t = map.get(layer) ?? { bytes: 0, files: 0 };
  t.bytes += bytes;
  t.files += 1;
  map.set(layer, t);
};

export const adviseOnContent = (input: ContentAdviceInput): Finding[] => {
  const history = historyOfFsLayers(input.layers);
  const isOwn = (fsLayer: number) => history[fsLayer] !== undefined && !history[fsLayer].isFromBase;
  const lines = linesOfLayers(input.layers, input.dockerfileText, input.dockerfileTarget);
  const describe = (fsLayer: number) => {
    const layer = history[fsLayer];
    return {
      layerPosition: layer?.position ?? null,
      instruction: layer?.instruction ?? null,
      ...(layer && lines.has(layer.position) ? { line: lines.get(layer.position) } : {}),
    };
  };
  const layerName = (fsLayer: number) => `layer ${history[fsLayer]?.position ?? fsLayer}`;
  const findings: Finding[] = [];

  const categories = CATEGORIES(input.env);
  const present = categories.map(() => new Map() as Tally);
  const wasted = categories.map(() => new Map() as Tally);
  for (const entry of input.fs.entries.values()) {
    if (entry.kind !== "file" || !isOwn(entry.layer)) continue;
    categories.forEach((category, i) => {
      if (category.match(entry.path)) tally(present[i], entry.layer, entry.size);
    });
  }
  const attributed = new Set<string>();
  for (const item of input.waste?.items ?? []) {
    if (!isOwn(item.layer)) continue;
    categories.forEach((category, i) => {
      if (category.match(item.path) || category.match(`${item.path}/`)) {
        tally(wasted[i], item.layer, item.bytes);
        attributed.add(`${item.path}\0${item.layer}`);
      }
    });
  }
  categories.forEach((category, i) => {
    const layers = new Set([...present[i].keys(), ...wasted[i].keys()]);
    for (const layer of layers) {
      const kept = present[i].get(layer) ?? { bytes: 0, files: 0 };
      const gone = wasted[i].get(layer) ?? { bytes: 0, files: 0 };
      const bytes = kept.bytes + gone.bytes;
      if (bytes < CONTENT_ADVICE_MIN_BYTES) continue;
      findings.push({
        code: category.code,
        title: category.title,
        detail:
          `${layerName(layer)} holds ${formatBytes(bytes)} of them (measured: ${kept.files} files in the final image` +
          (gone.bytes ? `, plus ${formatBytes(gone.bytes)} a later layer deleted or overwrote, which still ship in this layer` : "") +
          `). ${category.advice}`,
        bytesAtStake: bytes,
        severity: category.severity,
        ...describe(layer),
      });
    }
  });

  // Build tools by package, in the layer that installed them.
  const byLayer = new Map<number, PackageRecord[]>();
  for (const record of input.packages.packages) {
    if (record.ecosystem === "python" || record.layer === null || !isOwn(record.layer) || !BUILD_PACKAGE.test(record.name.replace(/:[^:]+$/, ""))) continue;
    byLayer.set(record.layer, [...(byLayer.get(record.layer) ?? []), record]);
  }
  for (const [layer, records] of byLayer) {
    const bytes = records.reduce((sum, record) => sum + record.bytes, 0);
    if (bytes < CONTENT_ADVICE_MIN_BYTES) continue;
    const top = [...records].sort((a, b) => b.bytes - a.bytes);
    const shown = top.slice(0, 8).map((record) => `${record.name} ${formatBytes(record.bytes)}`);
    findings.push({
      code: FINDING_CODES.buildToolsInFinalImage,
      title: "Compilers and headers ship in the final image",
      detail:
        `${layerName(layer)} installed ${records.length} build-only packages, ${formatBytes(bytes)} measured: ${shown.join(", ")}` +
        (top.length > shown.length ? ` and ${top.length - shown.length} more` : "") +
        ". Install them in a builder stage and copy only the built result into a final stage that installs just the runtime.",
      bytesAtStake: bytes,
      severity: "high",
      ...describe(layer),
    });
  }

  // Whatever else a later layer deleted or overwrote: bytes that ship but nobody can reach.
  for (const reason of ["deleted", "overwritten"] as const) {
    const sums = new Map<string, { layer: number; byLayer: number; bytes: number; paths: number; example: string }>();
    for (const item of input.waste?.items ?? []) {
      if (item.reason !== reason || !isOwn(item.layer) || attributed.has(`${item.path}\0${item.layer}`)) continue;
      const key = `${item.layer}\0${item.byLayer}`;
      const sum = sums.get(key) ?? { layer: item.layer, byLayer: item.byLayer, bytes: 0, paths: 0, example: item.path };
      sum.bytes += item.bytes;
      sum.paths += 1;
      sums.set(key, sum);
    }
    for (const sum of sums.values()) {
      if (sum.bytes < CONTENT_ADVICE_MIN_BYTES) continue;
      findings.push({
        code: reason === "deleted" ? CONTENT_FINDING_CODES.deletedLater : CONTENT_FINDING_CODES.overwrittenLater,
        title: reason === "deleted" ? "Files added, then deleted in a later layer" : "Files added, then overwritten in a later layer",
        detail:
          `${layerName(sum.layer)} adds ${formatBytes(sum.bytes)} (${sum.paths} paths, e.g. ${sum.example}) that ${layerName(sum.byLayer)} ` +
          `${reason === "deleted" ? "deletes" : "overwrites"}: the bytes still ship in ${layerName(sum.layer)}. ` +
          (reason === "deleted"
            ? "Delete them in the same RUN that creates them, or produce them in a builder stage."
            : "Write the final version once, or change the files in the same RUN that adds them."),
        bytesAtStake: sum.bytes,
        severity: "medium",
        ...describe(sum.layer),
      });
    }
  }

  const order: Record<FindingSeverity, number> = { high: 0, medium: 1, low: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity] || (b.bytesAtStake ?? 0) - (a.bytesAtStake ?? 0));
};

/**
 * The build page's advice when a content analysis exists: estimate-based findings of the codes
 * the content measures are replaced by the measured ones (also when the measure finds nothing:
 * the estimate was wrong); all other findings stay.
 */
export const mergeAdvice = (estimated: Finding[], measured: Finding[]): Finding[] => {
  const order: Record<FindingSeverity, number> = { high: 0, medium: 1, low: 2 };
  return [...estimated.filter((finding) => !MEASURED_CODES.has(finding.code)), ...measured].sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      (b.bytesAtStake ?? -1) - (a.bytesAtStake ?? -1) ||
      (a.layerPosition ?? Number.MAX_SAFE_INTEGER) - (b.layerPosition ?? Number.MAX_SAFE_INTEGER),
  );
};
