// Pins a git ref to a full commit SHA (a comparison builds every variant from one commit).
import "server-only";
import { openContext } from "@/lib/builds/context/open-context";

export const resolveGitRevision = async (url: string, ref: string): Promise<string | null> => {
  const context = await openContext({ kind: "GIT", url, ref });
  try {
    return context.revision;
  } finally {
    await context.cleanup();
  }
};
