// The settings in effect, from the validated environment. Secrets (database password,
// the first admin's password) are never listed.
import { getContextRoots, getEnv } from "@/lib/env";
import { LOGIN_POLICY, SESSION_TTL_MS } from "@/lib/auth/policy";
import { formatBytes } from "@/lib/format/bytes";
import { Table } from "@/components/ui/table";

type Setting = { name: string; label: string; value: React.ReactNode };

export const Configuration = () => {
  const env = getEnv();
  const settings: Setting[] = [
    {
      name: "LAYERBOARD_CONTEXT_ROOTS",
      label: "Context roots (directory contexts must be inside one)",
      value: (
        <ul>
          {getContextRoots().map((root) => (
            <li key={root}>{root}</li>
          ))}
        </ul>
      ),
    },
    { name: "LAYERBOARD_BASE_IMAGE", label: "Base image passed as BASE_IMAGE", value: env.LAYERBOARD_BASE_IMAGE },
    { name: "LAYERBOARD_WORKER_CONCURRENCY", label: "Builds at once per worker", value: env.LAYERBOARD_WORKER_CONCURRENCY },
    { name: "LAYERBOARD_HEARTBEAT_TIMEOUT_S", label: "Worker heartbeat timeout", value: `${env.LAYERBOARD_HEARTBEAT_TIMEOUT_S} s` },
    { name: "LAYERBOARD_SMOKE_TIMEOUT_S", label: "Smoke run timeout", value: `${env.LAYERBOARD_SMOKE_TIMEOUT_S} s` },
    { name: "LAYERBOARD_SMOKE_MEMORY_MB", label: "Smoke run memory limit", value: `${env.LAYERBOARD_SMOKE_MEMORY_MB} MiB` },
    { name: "LAYERBOARD_MAX_LOG_BYTES", label: "Build log limit", value: formatBytes(env.LAYERBOARD_MAX_LOG_BYTES) },
    { name: "LAYERBOARD_MAX_UPLOAD_BYTES", label: "Context upload limit", value: formatBytes(env.LAYERBOARD_MAX_UPLOAD_BYTES) },
    { name: "LAYERBOARD_NETWORK_MODE", label: "Build network mode", value: env.LAYERBOARD_NETWORK_MODE ?? "engine default" },
    {
      name: "LAYERBOARD_SECURE_COOKIES",
      label: "Secure (HTTPS-only) session cookie",
      value: env.LAYERBOARD_SECURE_COOKIES === "true" ? "always" : "when signed in over HTTPS",
    },
    { name: "LAYERBOARD_TRUST_PROXY", label: "X-Forwarded-For, -Host and -Proto believed", value: env.LAYERBOARD_TRUST_PROXY === "true" ? "yes" : "no" },
    { name: "—", label: "Session lifetime", value: `${Math.round(SESSION_TTL_MS / 86_400_000)} days` },
    { name: "—", label: "Sign-in limit", value: `${LOGIN_POLICY.freeAttempts} attempts per email or address, then waits from ${LOGIN_POLICY.baseDelayMs / 1000} s doubling up to ${LOGIN_POLICY.maxDelayMs / 60_000} min` },
  ];
  return (
    <div className="space-y-2">
      <Table data-testid="configuration">
        <tbody>
          {settings.map((setting) => (
            <tr key={setting.label}>
              <th scope="row" className="w-1/2">
                {setting.label}
                {setting.name !== "—" && <code className="ml-2 break-all text-xs text-slate-500 dark:text-slate-400">{setting.name}</code>}
              </th>
              <td className="break-all font-mono text-xs">{setting.value}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {env.LAYERBOARD_SECURE_COOKIES !== "true" && env.LAYERBOARD_TRUST_PROXY !== "true" && (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          Behind a TLS reverse proxy, set <code>LAYERBOARD_TRUST_PROXY=true</code> (the proxy&apos;s <code>X-Forwarded-Proto: https</code> then makes
          the session cookie Secure) or <code>LAYERBOARD_SECURE_COOKIES=true</code>.
        </p>
      )}
    </div>
  );
};
