// A comparison report with known numbers (the sizes measured in DESIGN.md), a broken
// image, a failed build and hostile user text, for the renderer tests.
import { assembleReport, type ReportBuildInput } from "@/lib/reports/build-report";
import type { BuildDetailDto, LayerDto } from "@/lib/types";

const BASE = 199_000_000;

const layer = (position: number, instruction: string, size: number, isFromBase = false): LayerDto => ({
  image: "main",
  position,
  createdBy: instruction,
  instruction,
  size,
  isEmpty: false,
  isFromBase,
  layerDigest: null,
});

export const makeBuild = (overrides: Partial<BuildDetailDto> & Pick<BuildDetailDto, "id" | "variantName" | "strategy">): BuildDetailDto => ({
  projectId: "proj1",
  projectName: "Python C-extension example",
  pinnedAt: null,
  pinnedBy: null,
  imageRemovedAt: null,
  logRemovedAt: null,
  phases: [],
  logRetainedDays: null,
  variantId: `v-${overrides.id}`,
  comparisonId: "cmp1",
  status: "SUCCEEDED",
  builder: "BUILDKIT",
  queuedAt: "2026-11-20T10:00:00.000Z",
  startedAt: "2026-11-20T10:00:01.000Z",
  finishedAt: "2026-11-20T10:01:00.000Z",
  durationMs: 59_000,
  contextRevision: "3fde5c4f68ae60fd72f877be45392e0b97ba3b7d",
  imageId: `sha256:${overrides.id}`,
  imageTag: null,
  totalSize: null,
  baseSize: BASE,
  buildImageSize: null,
  stepsTotal: 10,
  stepsDone: 10,
  cachedSteps: 4,
  layerCount: 3,
  runs: true,
  errorCode: null,
  error: null,
  workerId: "w1",
  logTruncated: false,
  settings: {},
  engineVersion: "20.10.24",
  storageDriver: "overlay2",
  buildImageId: null,
  logLines: 10,
  steps: [],
  layers: [],
  smoke: { command: ["app"], runs: true, exitCode: 0, durationMs: 300, timedOut: false, oomKilled: false, outputHead: "", outputTail: "", error: null },
  ...overrides,
});

const single = makeBuild({
  id: "b-single",
  variantName: "single-stage",
  strategy: "SINGLE_STAGE",
  totalSize: 799_000_000,
  layers: [layer(0, "Imported from -", BASE, true), layer(1, "RUN apt-get update && apt-get install -y build-essential python3-dev", 560_000_000), layer(2, "COPY . /app", 40_000_000)],
});

const multi = makeBuild({
  id: "b-multi",
  variantName: "multi-stage",
  strategy: "MULTI_STAGE",
  totalSize: 354_000_000,
  // Issue 17: a gzip estimate (no registry); the other builds have no compressed size.
  compressedSize: 118_000_000,
  compressedSource: "ESTIMATED",
  layers: [layer(0, "Imported from -", BASE, true), layer(1, "RUN apt-get install -y python3", 133_000_000), layer(2, "COPY /opt/venv /opt/venv", 22_000_000)],
});

const copies = makeBuild({
  id: "b-copies",
  variantName: "venv --copies",
  strategy: "VENV_COPIES",
  totalSize: 241_000_000,
  runs: false,
  layers: [layer(0, "Imported from -", BASE, true), layer(1, "COPY /opt/venv /opt/venv", 42_000_000)],
  smoke: {
    command: ["/opt/venv/bin/python", "-m", "app"],
    runs: false,
    exitCode: 127,
    durationMs: 120,
    timedOut: false,
    oomKilled: false,
    // as the smoke run of examples/pyapp Dockerfile.copies records it (pipeline-example-variants)
    outputHead: "/opt/venv/bin/python: error while loading shared libraries: libexpat.so.1: cannot open shared object file: No such file or directory\n",
    outputTail: "",
    error: null,
  },
});

export const HOSTILE_VARIANT = '=SUM(1+1) | <b>"evil"</b> @team';
export const HOSTILE_INSTRUCTION = 'RUN echo "a|b" `x`\n  && echo done';

const custom = makeBuild({
  id: "b-custom",
  variantName: HOSTILE_VARIANT,
  strategy: "CUSTOM",
  status: "FAILED",
  totalSize: null,
  baseSize: null,
  layerCount: null,
  runs: null,
  smoke: null,
  errorCode: "BUILD_FAILED",
  error: 'step 3: "make" failed\nexit status 2',
});

const customOk = makeBuild({
  id: "b-custom-ok",
  variantName: "custom, quoted",
  strategy: "CUSTOM",
  totalSize: 300_000_000,
  layers: [layer(0, "Imported from -", BASE, true), layer(1, HOSTILE_INSTRUCTION, 101_000_000)],
});

const noBudget = { sizeBudgetBytes: null, regressionThresholdPct: null };

export const fixtureInputs: ReportBuildInput[] = [
  { build: single, budget: noBudget, previous: null, findings: [] },
  {
    build: multi,
    // over the absolute budget and grew 4.1 % against a 2 % threshold
    budget: { sizeBudgetBytes: 300_000_000, regressionThresholdPct: 2 },
    previous: { buildId: "b-multi-prev", size: 340_000_000 },
    findings: [],
  },
  {
    build: copies,
    budget: { sizeBudgetBytes: 250_000_000, regressionThresholdPct: null },
    previous: { buildId: "b-copies-prev", size: 241_000_000 },
    findings: [
      {
        code: "APT_LISTS_LEFT",
        title: "APT package lists left in the layer",
        detail: "End the same RUN with `&& rm -rf /var/lib/apt/lists/*` please",
        bytesAtStake: 20_000_000,
        layerPosition: 1,
        instruction: "RUN apt-get update",
        severity: "medium",
      },
    ],
  },
  { build: custom, budget: { sizeBudgetBytes: 1, regressionThresholdPct: null }, previous: null, findings: [] },
  { build: customOk, budget: noBudget, previous: null, findings: [] },
];

export const createFixtureReport = () =>
  assembleReport({
    kind: "comparison",
    id: "cmp1",
    generatedAt: "2026-11-20T10:05:00.000Z",
    project: { id: "proj1", slug: "pyapp-example", name: "Python C-extension example" },
    contextRevision: "3fde5c4f68ae60fd72f877be45392e0b97ba3b7d",
    builds: fixtureInputs,
    baseline: { buildId: "b-single", variant: "single-stage", size: 799_000_000 },
  });
