// Display names and one-line descriptions of the build strategies, shared by every chart,
// badge and report (their colours are the UI's: components/ui/palette.ts). Pure: safe to
// import from client components.
import type { Strategy } from "@/lib/types";

export type StrategyMeta = { label: string; description: string };

export const STRATEGY_META: Record<Strategy, StrategyMeta> = {
  SINGLE_STAGE: {
    label: "Single-stage",
    description: "One FROM: compiler, headers, venv and app all ship in the final image.",
  },
  MULTI_STAGE: {
    label: "Multi-stage",
    description: "A builder stage compiles into a venv; the final stage installs only the Python runtime and copies the venv.",
  },
  VENV_COPIES: {
    label: "Multi-stage venv --copies",
    description:
      "The builder makes the venv with `python -m venv --copies`; the final stage has no Python. Smallest, but on Debian it does not start: the stdlib and the interpreter's shared libraries are missing.",
  },
  BUILDER_PATTERN: {
    label: "Builder pattern",
    description: "A build image produces an artefact; a separate runtime image is built from a context holding only that artefact.",
  },
  CUSTOM: {
    label: "Custom",
    description: "Any Dockerfile, target and build args you choose.",
  },
};
