// The engine and database this instance talks to, as they answer right now.
import { getHealth } from "@/lib/health";
import { getEnv } from "@/lib/env";
import { Table } from "@/components/ui/table";

// Host, port and database name only: the URL's user and password never reach the page.
const describeDatabaseUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol.replace(/:$/, "")}://${parsed.host}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
};

// DOCKER_HOST may be tcp://user:password@host: strip any credentials the same way.
const describeDockerHost = (value: string | undefined): string => {
  if (!value) return "unix:///var/run/docker.sock (default)";
  try {
    const parsed = new URL(value);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return value;
  }
};

const yesNo = (value: boolean) => (value ? "yes" : "no");

const Row = ({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) => (
  <tr>
    <th scope="row" className="w-1/3 text-slate-500 dark:text-slate-400">
      {label}
    </th>
    <td className="break-all font-mono text-xs" data-testid={testId}>
      {value}
    </td>
  </tr>
);

export const SystemInfo = async () => {
  const [health, env] = [await getHealth(), getEnv()];
  const { engine, database } = health;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold">Docker engine</h3>
        <Table data-testid="engine-info" data-reachable={engine.reachable}>
          <tbody>
            <Row label="Endpoint" value={describeDockerHost(env.DOCKER_HOST)} />
            {engine.reachable ? (
              <>
                <Row label="Version" value={engine.version} testId="engine-version" />
                <Row label="API version" value={engine.apiVersion} testId="engine-api-version" />
                <Row label="Storage driver" value={engine.storageDriver} testId="engine-storage-driver" />
                <Row label="containerd image store" value={yesNo(engine.containerdImageStore)} testId="engine-containerd" />
                <Row label="BuildKit" value={yesNo(engine.buildkit)} testId="engine-buildkit" />
                <Row label="Platform" value={`${engine.os}/${engine.arch}`} />
              </>
            ) : (
              <Row label="Status" value={<span className="text-red-700 dark:text-red-400">unreachable — {engine.reason}</span>} />
            )}
          </tbody>
        </Table>
        {engine.reachable && engine.containerdImageStore && (
          <p className="mt-2 text-xs text-amber-700 dark:text-amber-400">
            This engine uses the containerd image store: image sizes are not measured the same way as on overlay2, so compare
            builds from the same kind of engine only.
          </p>
        )}
      </div>
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold">Database</h3>
        <Table data-testid="database-info" data-ok={database.ok}>
          <tbody>
            <Row label="Location" value={describeDatabaseUrl(env.DATABASE_URL)} />
            <Row
              label="Status"
              value={database.ok ? `ok (${database.latencyMs} ms)` : <span className="text-red-700 dark:text-red-400">unavailable — {database.reason}</span>}
            />
          </tbody>
        </Table>
      </div>
    </div>
  );
};
