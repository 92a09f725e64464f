// Records the pipeline's phases (issue 13) as they start and end, so the build page can say
// where a build's time went outside BuildKit steps. Writes go through lib/data/build-phases.ts;
// a failed write is logged and never fails the build (the phases are a view of the time, not its result).
import "server-only";
import { saveBuildPhases } from "@/lib/data/build-phases";
import type { PhaseName } from "@/lib/builds/build-phases";
import type { BuildPhaseDto } from "@/lib/types";
import { buildLogger } from "@/lib/log";

export type PhaseRecorder = {
  /** Ends the open phase (if any) and starts `name`; the write is queued, not waited for (off the build's critical path). */
  begin: (name: PhaseName) => Promise<void>;
  /** Ends the open phase and waits until every phase write so far is done (call before the build's final status). */
  end: () => Promise<void>;
  /** Runs `work` as phase `name`, ending it whether it succeeds or throws. */
  run: <T>(name: PhaseName, work: () => Promise<T>) => Promise<T>;
};

export const createPhaseRecorder = (buildId: string, existing: BuildPhaseDto[] = []): PhaseRecorder => {
  const phases: BuildPhaseDto[] = [...existing];
  let open: BuildPhaseDto | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = () => {
    const snapshot = phases.map((phase) => ({ ...phase }));
    writing = writing
      .then(() => saveBuildPhases(buildId, snapshot))
      .catch((error) => buildLogger(buildId).warn({ err: error }, "[phases] could not record the build's phases"));
    return writing;
  };

  const close = () => {
    if (!open) return false;
    open.finishedAt = new Date().toISOString();
    open = null;
    return true;
  };

  const begin = async (name: PhaseName) => {
    close();
    open = { name, startedAt: new Date().toISOString(), finishedAt: null };
    phases.push(open);
    void write();
  };

  const end = async () => {
    if (close()) void write();
    await writing;
  };

  const run = async <T,>(name: PhaseName, work: () => Promise<T>): Promise<T> => {
    await begin(name);
    try {
      return await work();
    } finally {
      await end();
    }
  };

  return { begin, end, run };
};
