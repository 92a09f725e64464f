"use client";
// Cancel with an inline confirmation (a second, explicit click), through the API.
import { useState } from "react";

type CancelState = { phase: "idle" } | { phase: "confirming" } | { phase: "sending" } | { phase: "sent"; message: string } | { phase: "failed"; message: string };

const readError = async (response: Response) => {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
};

export const CancelBuildButton = ({ buildId }: { buildId: string }) => {
  const [state, setState] = useState<CancelState>({ phase: "idle" });

  const cancel = async () => {
    setState({ phase: "sending" });
    try {
      const response = await fetch(`/api/builds/${encodeURIComponent(buildId)}/cancel`, { method: "POST" });
      if (!response.ok) return setState({ phase: "failed", message: await readError(response) });
      const body = (await response.json()) as { status?: string };
      setState({ phase: "sent", message: body.status === "CANCELLED" ? "Cancelled." : "Stopping: the worker cancels the build within a few seconds." });
    } catch {
      setState({ phase: "failed", message: "the server could not be reached" });
    }
  };

  const buttonBase = "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60";
  return (
    <div className="flex flex-wrap items-center gap-2" aria-live="polite">
      {(state.phase === "idle" || state.phase === "failed") && (
        <button type="button" onClick={() => setState({ phase: "confirming" })} className={`${buttonBase} border border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950`}>
          Cancel build
        </button>
      )}
      {state.phase === "confirming" && (
        <>
          <span className="text-sm">Stop this build?</span>
          <button type="button" autoFocus onClick={cancel} className={`${buttonBase} bg-red-600 text-white hover:bg-red-500 focus-visible:outline-red-400`}>
            Yes, cancel it
          </button>
          <button type="button" onClick={() => setState({ phase: "idle" })} className={`${buttonBase} border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}>
            Keep building
          </button>
        </>
      )}
      {state.phase === "sending" && <span className="text-sm text-slate-500">Cancelling…</span>}
      {state.phase === "sent" && <span className="text-sm text-slate-600 dark:text-slate-300">{state.message}</span>}
      {state.phase === "failed" && <span role="alert" className="text-sm text-red-700 dark:text-red-300">Could not cancel: {state.message}</span>}
    </div>
  );
};
