// Display names, colours and one-line descriptions of the build strategies, shared by
// every chart, badge and report. Pure: safe to import from client components.
import type { Strategy } from "@/lib/types";

export type StrategyMeta = { label: string; color: string; description: string };

// Colours from the Okabe–Ito colour-blind-safe palette, darkened where needed so each one
// has at least 3.5:1 contrast against both white and a slate-900 (#0f172a) background
// (WCAG 1.4.11 asks 3:1 for chart marks and badges). Grey is kept for user-defined builds.
export const STRATEGY_META: Record<Strategy, StrategyMeta> = {
  SINGLE_STAGE: {
    label: "Single-stage",
    color: "#d55e00",
    description: "One FROM: compiler, headers, venv and app all ship in the final image.",
  },
  MULTI_STAGE: {
    label: "Multi-stage",
    color: "#0a7bbd",
    description: "A builder stage compiles into a venv; the final stage installs only the Python runtime and copies the venv.",
  },
  VENV_COPIES: {
    label: "Multi-stage venv --copies",
    color: "#b8649a",
    description:
      "The builder makes the venv with `python -m venv --copies`; the final stage has no Python. Smallest, but on Debian it does not start: the stdlib and the interpreter's shared libraries are missing.",
  },
  BUILDER_PATTERN: {
    label: "Builder pattern",
    color: "#00976e",
    description: "A build image produces an artefact; a separate runtime image is built from a context holding only that artefact.",
  },
  CUSTOM: {
    label: "Custom",
    color: "#7c7c7c",
    description: "Any Dockerfile, target and build args you choose.",
  },
};
