// Many live-log followers at once (the stream test of issue 14 and `npm run bench:load`): each
// opens GET /api/builds/:id/events with its own abort signal and only counts what it gets (no
// parsing, no storing), so the crowd itself costs little; `interactiveLatency` times requests
// a person would make meanwhile.
import "server-only";
import { callRoute, type RouteHandler } from "./call-route";

export type Follower = { buildId: string; status: number; logs: number; bytes: number; firstLogId: number | null; ended: boolean; error: string | null };

export type SseCrowd = {
  followers: Follower[];
  /** Resolves when every follower has its response and at least `logs` log frames (or ended). */
  waitForLogs: (logs: number, timeoutMs?: number) => Promise<void>;
  /** Aborts every stream (as closing the tab would); resolves when their readers stopped. */
  abortAll: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const openSseCrowd = async (options: {
  getEvents: RouteHandler<{ id: string }>;
  /** One entry per follower: the build it follows and the token it uses. */
  followers: Array<{ buildId: string; token: string }>;
  query?: string;
}): Promise<SseCrowd> => {
  const controllers = options.followers.map(() => new AbortController());
  const followers: Follower[] = options.followers.map(({ buildId }) => ({ buildId, status: 0, logs: 0, bytes: 0, firstLogId: null, ended: false, error: null }));
  const readers = options.followers.map(async ({ buildId, token }, i) => {
    const follower = followers[i];
    try {
      const response = await callRoute(options.getEvents, { url: `/api/builds/${buildId}/events${options.query ?? ""}`, token, params: { id: buildId }, signal: controllers[i].signal });
      follower.status = response.status;
      if (response.status !== 200 || !response.body) {
        follower.error = await response.text();
        return;
      }
      const decoder = new TextDecoder();
      let tail = "";
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        follower.bytes += chunk.byteLength;
        const text = tail + decoder.decode(chunk, { stream: true });
        for (let at = text.indexOf("event: log"); at >= 0; at = text.indexOf("event: log", at + 1)) {
          follower.logs += 1;
          if (follower.firstLogId === null) {
            const id = /id: (\d+)\n$/.exec(text.slice(Math.max(0, at - 24), at));
            if (id) follower.firstLogId = Number(id[1]);
          }
        }
        if (text.includes("event: end")) follower.ended = true;
        tail = text.slice(-24);
      }
    } catch (error) {
      if (!controllers[i].signal.aborted) follower.error = error instanceof Error ? error.message : String(error);
    }
  });
  return {
    followers,
    waitForLogs: async (logs, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (followers.some((f) => f.status === 0 || (f.status === 200 && f.logs < logs && !f.ended && !f.error))) {
        if (Date.now() > deadline) {
          const slow = followers.filter((f) => f.status === 0 || f.logs < logs).length;
          throw new Error(`${slow} of ${followers.length} followers had fewer than ${logs} log lines after ${timeoutMs} ms`);
        }
        await sleep(100);
      }
    },
    abortAll: async () => {
      for (const controller of controllers) controller.abort();
      await Promise.all(readers);
    },
  };
};

/** Each request's latency in ms, `rounds` times every `intervalMs`, in order. */
export const interactiveLatency = async (requests: Array<() => Promise<Response>>, rounds: number, intervalMs = 100) => {
  const ms: number[] = [];
  const statuses: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const request of requests) {
      const t0 = performance.now();
      const response = await request();
      await response.arrayBuffer();
      ms.push(performance.now() - t0);
      statuses.push(response.status);
    }
    await sleep(intervalMs);
  }
  return { ms, statuses };
};
