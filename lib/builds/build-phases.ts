// Build phases (issue 13): the time a build spent outside BuildKit steps, stored as JSON on
// the build, and the segments the timeline draws from them. Pure: safe in client code.
import { z } from "zod";
import type { BuildPhaseDto } from "@/lib/types";

/** Phase names the pipeline writes (lib/builds/run-build.ts, content-analysis.ts), in pipeline order. */
export const PHASE_LABELS = {
  context: "Context (clone, unpack, check)",
  "engine-build": "Engine build (BuildKit steps)",
  "build-image": "Build image (BuildKit steps)",
  "build-analysis": "Build image analysis",
  "copy-artifact": "Copy the artefact out",
  "runtime-image": "Runtime image (BuildKit steps)",
  analysis: "Image analysis (size, history, layers)",
  smoke: "Smoke run",
  push: "Push to the registry",
  finish: "Recording the result",
  "content-analysis": "Content analysis (after the build)",
} as const;

export type PhaseName = keyof typeof PHASE_LABELS;

/** The phases whose time the BuildKit steps explain: the timeline groups the steps under them. */
export const ENGINE_PHASES: ReadonlySet<string> = new Set(["engine-build", "build-image", "runtime-image"]);

export const phaseLabel = (name: string): string => (PHASE_LABELS as Record<string, string>)[name] ?? name;

const phaseSchema = z.object({ name: z.string().min(1).max(64), startedAt: z.iso.datetime(), finishedAt: z.iso.datetime().nullable() });

/** Stored JSON → phases; anything malformed is dropped rather than breaking the page. */
export const parseBuildPhases = (value: unknown): BuildPhaseDto[] => {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = phaseSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
};

export type PhaseSegment = {
  name: string;
  label: string;
  startMs: number;
  endMs: number;
  /** Still running: the end is "now". */
  open: boolean;
  /** Time between phases nobody accounted for (claim, database writes), shown so the sum is the build's duration. */
  gap: boolean;
};

// Shorter gaps are noise (one database write); not worth a row.
const MIN_GAP_MS = 200;

/**
 * Segments from the build start to its end (or now): each phase, and the unaccounted gaps
 * between them, so the segments add up to the build's wall time. A phase left open when the
 * build ended (a failure mid-phase) ends with the build.
 */
export const toPhaseSegments = (
  phases: BuildPhaseDto[],
  build: { startedAt: string | null; finishedAt: string | null },
  nowMs: number,
): PhaseSegment[] => {
  const buildEnd = build.finishedAt ? Date.parse(build.finishedAt) : null;
  const sorted = [...phases].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const segments: PhaseSegment[] = [];
  let cursor = build.startedAt ? Date.parse(build.startedAt) : sorted.length ? Date.parse(sorted[0].startedAt) : null;
  for (const phase of sorted) {
    const start = Date.parse(phase.startedAt);
    const open = phase.finishedAt === null && buildEnd === null;
    const afterBuild = buildEnd !== null && start >= buildEnd;
    const end = phase.finishedAt ? Date.parse(phase.finishedAt) : Math.max(start, buildEnd ?? nowMs);
    if (cursor !== null && !afterBuild && start - cursor >= MIN_GAP_MS)
      segments.push({ name: "gap", label: "Other (queue claim, database writes)", startMs: cursor, endMs: start, open: false, gap: true });
    segments.push({ name: phase.name, label: phaseLabel(phase.name), startMs: start, endMs: end, open, gap: false });
    if (!afterBuild) cursor = Math.max(cursor ?? end, end);
  }
  if (cursor !== null && buildEnd !== null && buildEnd - cursor >= MIN_GAP_MS)
    segments.push({ name: "gap", label: "Other (queue claim, database writes)", startMs: cursor, endMs: buildEnd, open: false, gap: true });
  return segments;
};

/** Milliseconds per phase name, over the segments (the text summary beside the bars). */
export const sumPhaseTime = (segments: PhaseSegment[]): Array<{ name: string; label: string; ms: number }> => {
  const totals = new Map<string, { name: string; label: string; ms: number }>();
  for (const segment of segments) {
    const entry = totals.get(segment.name) ?? { name: segment.name, label: segment.label, ms: 0 };
    entry.ms += segment.endMs - segment.startMs;
    totals.set(segment.name, entry);
  }
  return [...totals.values()];
};
