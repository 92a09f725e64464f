// What every page shows instead of hanging when the database does not answer in time.
export const DATABASE_UNAVAILABLE_TITLE = "Database unavailable";

export const DatabaseUnavailable = () => (
  <main className="mx-auto mt-16 max-w-lg px-4">
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <h1 className="text-lg font-semibold">{DATABASE_UNAVAILABLE_TITLE}</h1>
      <p className="mt-2">
        Layerboard&apos;s database did not answer in time, so this page cannot be shown right now. Builds already running keep their place; nothing was
        changed. Reload in a moment: once the database answers, this page works again.
      </p>
      <p className="mt-3">
        <a href="" className="font-medium underline">
          Reload
        </a>{" "}
        · <a href="/api/health" className="underline">/api/health</a> says when it is back.
      </p>
    </div>
  </main>
);
