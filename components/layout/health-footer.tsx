import { getHealth } from "@/lib/health";

// Engine and database status, on every dashboard page.
export const HealthFooter = async () => {
  const health = await getHealth();
  const dot = (ok: boolean) => <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${ok ? "bg-emerald-500" : "bg-red-500"}`} />;
  return (
    <footer data-testid="health" className="no-print mt-12 border-t border-slate-200 py-4 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
      <div className="mx-auto flex max-w-7xl flex-wrap gap-x-6 gap-y-1 px-4">
        <span data-testid="health-database" data-ok={health.database.ok}>
          {dot(health.database.ok)} Database: {health.database.ok ? `ok (${health.database.latencyMs} ms)` : `unavailable — ${health.database.reason}`}
        </span>
        <span data-testid="health-engine" data-ok={health.engine.reachable}>
          {dot(health.engine.reachable)} Docker engine:{" "}
          {health.engine.reachable
            ? `ok — ${health.engine.version} (API ${health.engine.apiVersion}, ${health.engine.storageDriver}${health.engine.buildkit ? ", BuildKit" : ""})`
            : `unreachable — builds are unavailable (${health.engine.reason})`}
        </span>
      </div>
    </footer>
  );
};
