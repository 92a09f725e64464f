// A build's phases (issue 13): the JSON list of where its time went outside BuildKit steps,
// written whole by the pipeline's phase recorder (lib/builds/phase-recorder.ts).
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseBuildPhases } from "@/lib/builds/build-phases";
import type { BuildPhaseDto } from "@/lib/types";

// Bounded: a pipeline writes about ten phases; a corrupt caller cannot grow the row.
const MAX_PHASES = 50;

export const saveBuildPhases = async (buildId: string, phases: BuildPhaseDto[]): Promise<void> => {
  await db.build.update({ where: { id: buildId }, data: { phases: phases.slice(0, MAX_PHASES) } });
};

export const getBuildPhases = async (buildId: string): Promise<BuildPhaseDto[]> => {
  const row = await db.build.findUnique({ where: { id: buildId }, select: { phases: true } });
  if (!row) throw new AppError("NOT_FOUND", `build ${buildId} not found`);
  return parseBuildPhases(row.phases);
};
