// What an unknown, revoked or expired share link shows (HTTP 404): the brand and one sentence,
// the same for all three so a probe learns nothing; no report data, no stack.
export default function SharedReportNotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-xl flex-col justify-center gap-4 px-4 py-12" data-testid="share-gone">
      <p className="text-lg font-semibold tracking-tight">
        Layer<span className="text-indigo-600 dark:text-indigo-400">board</span>
      </p>
      <h1 className="text-2xl font-semibold">This report is no longer shared</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The link was revoked, has expired, or was never valid. Reports behind a link are snapshots that their owner can withdraw at any time.
      </p>
      <p className="text-sm text-slate-600 dark:text-slate-300">Ask the person who sent it for a new link.</p>
    </main>
  );
}
