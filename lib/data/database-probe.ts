// Whether the database answers quickly enough for a page to be rendered: pages ask before
// their first query, so a stalled database (frozen, not down) gives a "database unavailable"
// page within LAYERBOARD_PAGE_DB_TIMEOUT_MS instead of one that hangs until the statement
// timeouts. One ping at a time per process; a good answer is kept for a second, a bad one for
// five (while the database is stalled, later pages answer at once).
import "server-only";
import { pingDatabase } from "@/lib/db";
import { getEnv } from "@/lib/env";

const KEEP_ANSWERING_MS = 1000;
const KEEP_STALLED_MS = 5000;
type Probe = { inflight: Promise<boolean> | null; answer: boolean; at: number };
const probe: Probe = ((globalThis as { __layerboardDatabaseProbe?: Probe }).__layerboardDatabaseProbe ??= { inflight: null, answer: true, at: 0 });

const ping = async (timeoutMs: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      pingDatabase().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

export const isDatabaseAnswering = async (): Promise<boolean> => {
  if (Date.now() - probe.at < (probe.answer ? KEEP_ANSWERING_MS : KEEP_STALLED_MS)) return probe.answer;
  probe.inflight ??= ping(getEnv().LAYERBOARD_PAGE_DB_TIMEOUT_MS).then((answer) => {
    probe.answer = answer;
    probe.at = Date.now();
    probe.inflight = null;
    return answer;
  });
  return probe.inflight;
};
