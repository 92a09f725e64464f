// Pure advice on an analysed image: which of its own layers waste bytes or cache, and config smells.
import "server-only";
import { formatBytes } from "@/lib/format/bytes";
import { linesOfLayers } from "@/lib/analysis/dockerfile-lines";

export type FindingSeverity = "high" | "medium" | "low";

export type Finding = {
  code: string;
  title: string;
  detail: string;
  /** Bytes that following the advice would save, when they can be told (or estimated); null otherwise. */
  bytesAtStake: number | null;
  layerPosition: number | null;
  instruction: string | null;
  severity: FindingSeverity;
  /** 1-based Dockerfile line of the instruction concerned, when the Dockerfile was given and its instruction found. */
  line?: number;
};

export type AdviceLayer = { position: number; instruction: string; size: number; isEmpty: boolean; isFromBase: boolean };

export type AdviseOnLayersInput = {
  layers: AdviceLayer[];
  dockerfileText?: string | null;
  /** The stage that was built (`--target`); the last stage when not given. */
  dockerfileTarget?: string | null;
  /** undefined: not known (no finding). */
  hasDockerignore?: boolean;
  config?: { user: string; healthcheck: boolean };
};

export const FINDING_CODES = {
  buildToolsInFinalImage: "BUILD_TOOLS_IN_FINAL_IMAGE",
  aptListsLeft: "APT_LISTS_LEFT",
  aptCacheLeft: "APT_CACHE_LEFT",
  pipCacheLeft: "PIP_CACHE_LEFT",
  depsAfterSourceCopy: "DEPS_INSTALLED_AFTER_SOURCE_COPY",
  noDockerignore: "NO_DOCKERIGNORE",
  runsAsRoot: "RUNS_AS_ROOT",
  noHealthcheck: "NO_HEALTHCHECK",
} as const;

/**
 * What `apt-get update` leaves in /var/lib/apt/lists, as a lower bound: about 20 MB for bookworm
 * main + updates + security with compressed indexes (the official debian images' apt config).
 * Measured here on the debootstrap base (uncompressed indexes): 82,923,063 bytes. Capped at the
 * layer's own size.
 */
export const APT_LISTS_BYTES_ESTIMATE = 20 * 1024 * 1024;

const SEVERITY_ORDER: Record<FindingSeverity, number> = { high: 0, medium: 1, low: 2 };

// Packages that only building needs: compilers, make tools and headers.
const BUILD_PACKAGE =
  /^(?:build-essential|build-base|gcc(?:-\d+)?|g\+\+(?:-\d+)?|c\+\+|cpp(?:-\d+)?|clang(?:-\d+)?|llvm(?:-\d+)?|make|cmake|ninja-build|autoconf|automake|libtool|pkg-config|pkgconf|gfortran|rustc|cargo|golang(?:-go)?|.+-dev|.+-devel)$/;
const INSTALL_COMMAND =
  /\b(?:(?:apt-get|apt|aptitude)\s+(?:-\S+\s+)*install|apk\s+(?:-\S+\s+)*add|(?:yum|dnf|microdnf)\s+(?:-\S+\s+)*install)\b([^;&|\n]*)/g;
const APT_COMMAND = /\bapt(?:-get)?\s+(?:-\S+\s+)*(?:update|install)\b/;
const APT_UPDATE = /\bapt(?:-get)?\s+(?:-\S+\s+)*update\b/;
const APT_LISTS_REMOVED = /\brm\s+(?:-\S+\s+)*[^;&|]*\/var\/lib\/apt\/lists/;
const APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/;
const APT_CACHE_CLEANED = /\bapt(?:-get)?\s+(?:-\S+\s+)*clean\b|\brm\s+(?:-\S+\s+)*[^;&|]*\/var\/cache\/apt/;
const PIP_INSTALL = /\b(?:pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip)\s+install\b/;
const DEPENDENCY_INSTALL =
  /\b(?:pip3?(?:\.\d+)?\s+install|python3?(?:\.\d+)?\s+-m\s+pip\s+install|npm\s+(?:install|ci|i)\b|yarn(?:\s+install)?\s*(?:$|&&|;|--)|pnpm\s+(?:install|i)\b|poetry\s+install|pipenv\s+install|uv\s+(?:sync|pip\s+install)|bundle\s+install|composer\s+install|go\s+mod\s+download)/;

const isRun = (layer: AdviceLayer) => layer.instruction.startsWith("RUN ");


const layerName = (layer: AdviceLayer) => `layer ${layer.position} (${formatBytes(layer.size)})`;

export const findBuildPackages = (instruction: string): string[] => {
  const found = new Set<string>();
  for (const match of instruction.matchAll(INSTALL_COMMAND)) {
    for (const token of match[1].trim().split(/\s+/)) {
      if (!token || token.startsWith("-") || token.startsWith("$") || token === "\\") continue;
      const name = token.replace(/[=:].*$/, "").replace(/^['"]|['"]$/g, "");
      if (BUILD_PACKAGE.test(name)) found.add(name);
    }
  }
  return [...found];
};

// `pip install` keeps its wheel/http cache (~/.cache/pip) in the layer unless told not to.
const pipCacheDisabled = (instruction: string, envBefore: string[], dockerfileText: string | null | undefined) => {
  if (/--no-cache-dir\b/.test(instruction)) return true;
  if (/\bPIP_NO_CACHE_DIR=\S+/.test(instruction)) return true;
  if (/\brm\s+(?:-\S+\s+)*[^;&|]*\.cache(?:\/pip)?\b/.test(instruction)) return true;
  if (envBefore.some((env) => /\bPIP_NO_CACHE_DIR=\S+/.test(env))) return true;
  // A BuildKit cache mount on pip's cache keeps it out of the layer; history does not show mounts.
  if (dockerfileText && /--mount=type=cache[^\s]*target=\S*\.cache(?:\/pip)?\b/.test(dockerfileText)) return true;
  return false;
};

// `COPY . /app` (BuildKit history) or `COPY dir:<hash> in /app` (classic history: any directory source).
const isSourceCopy = (instruction: string) =>
  /^(?:COPY|ADD)\s+(?:--\S+\s+)*\.\/?\s+\S+$/.test(instruction) || /^(?:COPY|ADD)\s+(?:--\S+\s+)*dir:\S+\s+in\s+\S+$/.test(instruction);

export const adviseOnLayers = (input: AdviseOnLayersInput): Finding[] => {
  const findings: Finding[] = [];
  const ownLayers = input.layers.filter((layer) => !layer.isFromBase).sort((a, b) => a.position - b.position);
  const allLayers = [...input.layers].sort((a, b) => a.position - b.position);

  for (const layer of ownLayers.filter(isRun)) {
    const packages = findBuildPackages(layer.instruction);
    if (packages.length > 0) {
      findings.push({
        code: FINDING_CODES.buildToolsInFinalImage,
        title: "Compilers and headers ship in the final image",
        detail:
          `${layerName(layer)} installs ${packages.join(", ")}, which are only needed to build. ` +
          "Install them in a builder stage and copy only the built result (a virtualenv, wheels, binaries) into a final stage " +
          "that installs just the runtime.",
        bytesAtStake: layer.size,
        layerPosition: layer.position,
        instruction: layer.instruction,
        severity: "high",
      });
    }

    if (APT_COMMAND.test(layer.instruction) && !APT_LISTS_REMOVED.test(layer.instruction)) {
      const updates = APT_UPDATE.test(layer.instruction);
      findings.push({
        code: FINDING_CODES.aptListsLeft,
        title: "APT package lists left in the layer",
        detail:
          `${layerName(layer)} runs apt without \`rm -rf /var/lib/apt/lists/*\` in the same RUN, so the package ` +
          "indexes stay in the image (removing them in a later layer does not shrink it). " +
          "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`." +
          (updates ? ` Estimate: at least ${formatBytes(APT_LISTS_BYTES_ESTIMATE)}.` : ""),
        bytesAtStake: updates ? Math.min(APT_LISTS_BYTES_ESTIMATE, layer.size) : null,
        layerPosition: layer.position,
        instruction: layer.instruction,
        severity: "medium",
      });
    }

    // Official debian/ubuntu images ship an apt config (docker-clean) that deletes downloaded .debs and
    // never writes pkgcache.bin; a debootstrap/imported base does not. Measured on this project's
    // base: an `apt-get install python3` layer that removed the lists still held ~87 MB of
    // /var/cache/apt (pkgcache.bin + srcpkgcache.bin ≈ 78 MB, plus the .debs). Bytes depend on the
    // base's config, so none are claimed.
    if (APT_INSTALL.test(layer.instruction) && !APT_CACHE_CLEANED.test(layer.instruction)) {
      findings.push({
        code: FINDING_CODES.aptCacheLeft,
        title: "APT cache not cleaned in the same RUN",
        detail:
          `${layerName(layer)} installs packages without \`apt-get clean\` (or \`rm -rf /var/cache/apt/*\`) in the same RUN. ` +
          "Unless the base image's apt config already cleans it (official debian/ubuntu images do), downloaded .deb files and " +
          "apt's binary caches stay in the layer: tens of MB on a debootstrap base.",
        bytesAtStake: null,
        layerPosition: layer.position,
        instruction: layer.instruction,
        severity: "low",
      });
    }

    if (PIP_INSTALL.test(layer.instruction)) {
      const envBefore = allLayers
        .filter((other) => other.position < layer.position && other.instruction.startsWith("ENV "))
        .map((other) => other.instruction);
      if (!pipCacheDisabled(layer.instruction, envBefore, input.dockerfileText)) {
        findings.push({
          code: FINDING_CODES.pipCacheLeft,
          title: "pip cache left in the layer",
          detail:
            `${layerName(layer)} runs pip install without --no-cache-dir (nor PIP_NO_CACHE_DIR), so downloaded ` +
            "wheels and the HTTP cache stay under ~/.cache/pip in the image. Add --no-cache-dir or a BuildKit cache mount.",
          bytesAtStake: null,
          layerPosition: layer.position,
          instruction: layer.instruction,
          severity: "medium",
        });
      }
    }
  }

  const sourceCopy = ownLayers.find((layer) => isSourceCopy(layer.instruction));
  if (sourceCopy) {
    const install = ownLayers.find(
      (layer) =>
        layer.position > sourceCopy.position &&
        isRun(layer) &&
        DEPENDENCY_INSTALL.test(layer.instruction) &&
        !/--no-deps\b/.test(layer.instruction),
    );
    if (install) {
      findings.push({
        code: FINDING_CODES.depsAfterSourceCopy,
        title: "Dependencies installed after copying the whole source",
        detail:
          `layer ${install.position} installs dependencies after layer ${sourceCopy.position} copied the source ` +
          `(\`${sourceCopy.instruction}\`): any source change invalidates the cache and reinstalls every dependency. ` +
          "Copy only the dependency manifest (requirements.txt, pyproject.toml, package-lock.json…) first, install, then copy the rest.",
        bytesAtStake: null,
        layerPosition: install.position,
        instruction: install.instruction,
        severity: "medium",
      });
    }
  }

  if (input.hasDockerignore === false) {
    findings.push({
      code: FINDING_CODES.noDockerignore,
      title: "No .dockerignore",
      detail:
        "The build context has no .dockerignore: .git, virtualenvs, node_modules, caches and secrets are sent to the engine " +
        "and end up in the image through any `COPY .`" +
        (sourceCopy ? ` (layer ${sourceCopy.position}: \`${sourceCopy.instruction}\`)` : "") +
        ", and every change to them busts the cache.",
      bytesAtStake: null,
      layerPosition: sourceCopy?.position ?? null,
      instruction: sourceCopy?.instruction ?? null,
      severity: sourceCopy ? "medium" : "low",
    });
  }

  if (input.config) {
    const user = input.config.user.trim();
    if (!user || /^(?:root|0)(?::(?:root|0))?$/.test(user)) {
      const userLayer = [...allLayers].reverse().find((layer) => layer.instruction.startsWith("USER "));
      findings.push({
        code: FINDING_CODES.runsAsRoot,
        title: "Runs as root",
        detail:
          (user ? `The image sets USER ${user}` : "The image sets no USER, so its process runs as root") +
          ". Create an unprivileged user and switch to it with USER before the CMD.",
        bytesAtStake: null,
        layerPosition: userLayer?.position ?? null,
        instruction: userLayer?.instruction ?? null,
        severity: "medium",
      });
    }
    if (!input.config.healthcheck) {
      findings.push({
        code: FINDING_CODES.noHealthcheck,
        title: "No HEALTHCHECK",
        detail: "The image declares no HEALTHCHECK, so the engine cannot tell a hung container from a healthy one.",
        bytesAtStake: null,
        layerPosition: null,
        instruction: null,
        severity: "low",
      });
    }
  }

  const lines = linesOfLayers(input.layers, input.dockerfileText, input.dockerfileTarget);
  return findings
    .map((finding) => {
      const line = finding.layerPosition === null ? undefined : lines.get(finding.layerPosition);
      return line === undefined ? finding : { ...finding, line };
    })
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        (b.bytesAtStake ?? -1) - (a.bytesAtStake ?? -1) ||
        (a.layerPosition ?? Number.MAX_SAFE_INTEGER) - (b.layerPosition ?? Number.MAX_SAFE_INTEGER),
    );
};
