// Environment, validated once with zod; every setting has a default that works locally.
// The launcher, the worker and the other scripts read their settings here too. No
// `import "server-only"`: `npm run dev`/`start` and `npm run db:migrate` run under plain Node,
// without the react-server condition that lets server-only load; nothing here is secret.
import path from "node:path";
import { z } from "zod";

const DEFAULT_ADMIN_EMAIL = "admin@localhost";
const DEFAULT_BASE_IMAGE = "layerboard/bookworm-base:local";

const port = z.coerce.number().int().min(1).max(65535);

// What the launcher and the scripts need before a database exists (DATABASE_URL unset means
// the embedded one under LAYERBOARD_DATA_DIR).
const launcherSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  LAYERBOARD_DATA_DIR: z.string().min(1).default(".layerboard"),
  /** Port of the embedded Postgres. */
  LAYERBOARD_PG_PORT: port.default(54329),
  /** Build workers the launcher starts next to the web process (0: web only). */
  LAYERBOARD_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  LAYERBOARD_SHUTDOWN_GRACE_S: z.coerce.number().min(0).default(30),
  LAYERBOARD_SKIP_BASE_IMAGE: z.enum(["0", "1"]).default("0"),
  LAYERBOARD_BASE_IMAGE: z.string().default(DEFAULT_BASE_IMAGE),
  LAYERBOARD_ADMIN_EMAIL: z.string().default(DEFAULT_ADMIN_EMAIL),
  LAYERBOARD_ADMIN_PASSWORD: z.string().optional(),
  /** Web port. */
  PORT: port.default(3000),
  /** Address Next.js listens on: this machine only unless set (0.0.0.0 serves other machines). */
  HOSTNAME_BIND: z
    .string()
    .optional()
    .transform((value) => value || "127.0.0.1"),
});

// What every request is handled with; proxy.ts reads these too, without a database.
const requestSchema = z.object({
  /** "true": the session cookie is always Secure; otherwise only when a trusted proxy says the browser came over TLS. */
  LAYERBOARD_SECURE_COOKIES: z.enum(["true", "false"]).default("false"),
  /** "true": X-Forwarded-For/-Host/-Proto are the proxy's word (it must overwrite them). */
  LAYERBOARD_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
});

const envSchema = launcherSchema.extend(requestSchema.shape).extend({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (the launcher sets it for the embedded database)"),
  DOCKER_HOST: z.string().optional(),
  /** "false": /api/health is ok without an engine (a web process whose builds run on workers elsewhere, as in compose.yaml). */
  LAYERBOARD_HEALTH_REQUIRES_ENGINE: z.enum(["true", "false"]).default("true"),
  LAYERBOARD_CONTEXT_ROOTS: z.string().default(path.resolve("examples")),
  LAYERBOARD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  LAYERBOARD_HEARTBEAT_TIMEOUT_S: z.coerce.number().int().min(5).default(60),
  LAYERBOARD_MAX_LOG_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  LAYERBOARD_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** Largest JSON request body a route handler reads (413 beyond it); next.config.js uses it for server actions too. */
  LAYERBOARD_MAX_JSON_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Live build-log streams (SSE) open at once per user or API token, and in total per web process (429 beyond). */
  LAYERBOARD_MAX_STREAMS_PER_ACTOR: z.coerce.number().int().min(1).default(8),
  LAYERBOARD_MAX_STREAMS: z.coerce.number().int().min(1).default(200),
  /** Lines a live stream replays when it starts without Last-Event-ID, ?after= or ?from= (the tail of the log). */
  LAYERBOARD_STREAM_TAIL_LINES: z.coerce.number().int().min(0).max(10_000).default(200),
  /** Database queries live streams may run at once (of the pool's 10), so interactive requests always get a connection. */
  LAYERBOARD_STREAM_DB_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(2),
  LAYERBOARD_SMOKE_TIMEOUT_S: z.coerce.number().int().min(1).default(30),
  LAYERBOARD_SMOKE_MEMORY_MB: z.coerce.number().int().min(16).default(256),
  LAYERBOARD_NETWORK_MODE: z.string().optional(),
  /** Longest wait for a database connection (TCP + log-in), ms. */
  LAYERBOARD_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Longest a statement may run on the server (Postgres statement_timeout), ms. */
  LAYERBOARD_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Longest a page waits for the database to answer a ping before it shows "database unavailable", ms. */
  LAYERBOARD_PAGE_DB_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  /** Longest a transaction may sit idle (Postgres idle_in_transaction_session_timeout), ms. */
  LAYERBOARD_DB_IDLE_TX_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  // Retention (issue 12, README "Retention"): defaults a project can override.
  /** Images kept per variant: those of its newest K builds (plus pinned, shared and baseline builds). */
  LAYERBOARD_RETAIN_BUILDS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Days a finished build keeps its log lines (the build keeps its summary). */
  LAYERBOARD_RETAIN_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** When the retention job runs (pg-boss cron, UTC); "off" never schedules it. */
  LAYERBOARD_RETENTION_CRON: z.string().default("17 * * * *"),
  // Notifications (issue 12, docs/notifications.md).
  /** Key webhook URLs and signing secrets are encrypted with (any string of 32+ characters); unset: a generated key in LAYERBOARD_DATA_DIR/secret-key. */
  LAYERBOARD_SECRET_KEY: z.string().min(32).optional(),
  /** Size growth vs the previous successful build that sends size.regression, when the variant sets no threshold (%). */
  LAYERBOARD_NOTIFY_REGRESSION_PCT: z.coerce.number().min(0).default(10),
  /** Content analysis (issue 11, docs/content-analysis.md): "off" queues none after a build. */
  LAYERBOARD_CONTENT_ANALYSIS: z.enum(["on", "off"]).default("on"),
  /** Content analyses a worker runs at once (its own queue, beside the builds). */
  LAYERBOARD_CONTENT_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(1),
  /** Entries recorded per layer; past it entries are counted, not stored. */
  LAYERBOARD_CONTENT_MAX_ENTRIES: z.coerce.number().int().min(1000).default(1_000_000),
  /** Captured text (package databases, ld.so.conf) kept per layer, bytes. */
  LAYERBOARD_CONTENT_MAX_CAPTURE_BYTES: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
  /** Registries and pull cost (issue 17): the bandwidth a pull-time estimate assumes, Mbit/s. */
  LAYERBOARD_PULL_BANDWIDTH_MBIT: z.coerce.number().min(0.1).max(1_000_000).default(100),
});

export type Env = z.infer<typeof envSchema>;
export type LauncherEnv = z.infer<typeof launcherSchema>;
export type RequestEnv = z.infer<typeof requestSchema>;

let cached: Env | undefined;
let cachedRequest: RequestEnv | undefined;

export const getEnv = (): Env => (cached ??= envSchema.parse(process.env));

/** The settings of request handling alone (no DATABASE_URL needed): for proxy.ts. */
export const getRequestEnv = (): RequestEnv => (cachedRequest ??= requestSchema.parse(process.env));

/** Whether X-Forwarded-* headers are believed (LAYERBOARD_TRUST_PROXY). */
export const trustsProxy = (): boolean => getRequestEnv().LAYERBOARD_TRUST_PROXY === "true";

/**
 * The launcher's and scripts' settings, read afresh on each call: scripts set DATABASE_URL
 * (or the test a variable) before the app's getEnv() is first used.
 */
export const getLauncherEnv = (): LauncherEnv => launcherSchema.parse(process.env);

/** The directory that holds the embedded database and the generated admin password. */
export const getDataDir = (): string => path.resolve(getLauncherEnv().LAYERBOARD_DATA_DIR);

// Logs (lib/log.ts) and /api/metrics (lib/metrics/access.ts), read afresh on each call: the
// launcher sets LAYERBOARD_LOG_FORMAT for `npm run dev` before its first line, and no
// database is needed. LAYERBOARD_METRICS_TOKEN is the one secret read here (compared, never logged).
const opsSchema = z.object({
  LAYERBOARD_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** "json": one JSON object a line (npm start, the worker); "pretty": pino-pretty (npm run dev sets it). */
  LAYERBOARD_LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** A bearer token for Prometheus alone (at least 32 characters); API tokens and sessions also work. */
  LAYERBOARD_METRICS_TOKEN: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .pipe(z.string().min(32, "LAYERBOARD_METRICS_TOKEN: at least 32 characters").optional()),
  /** "loopback": /api/metrics answers without a token, but only while the web process is bound to a loopback address. */
  LAYERBOARD_METRICS_ANONYMOUS: z.enum(["off", "loopback"]).default("off"),
  /** The address the web process was started on (the launcher always passes it on); unset: unknown. */
  HOSTNAME_BIND: z.string().optional(),
});
export type OpsEnv = z.infer<typeof opsSchema>;
export const getOpsEnv = (): OpsEnv => opsSchema.parse(process.env);

export type DatabaseTimeouts = { connectMs: number; statementMs: number; idleInTransactionMs: number };

export const getDatabaseTimeouts = (): DatabaseTimeouts => {
  const env = getEnv();
  return {
    connectMs: env.LAYERBOARD_DB_CONNECT_TIMEOUT_MS,
    statementMs: env.LAYERBOARD_DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionMs: env.LAYERBOARD_DB_IDLE_TX_TIMEOUT_MS,
  };
};

/**
 * node-postgres pool options for these timeouts. statement_timeout and
 * idle_in_transaction_session_timeout are enforced by the server; query_timeout (the statement
 * timeout plus 2 s) is the client's own bound for a server that does not answer at all (stopped,
 * unreachable), where the server-side limits never fire.
 */
export const poolTimeoutOptions = (timeouts: DatabaseTimeouts = getDatabaseTimeouts()) => ({
  connectionTimeoutMillis: timeouts.connectMs,
  statement_timeout: timeouts.statementMs,
  idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
  query_timeout: timeouts.statementMs + 2000,
});

export const getContextRoots = (): string[] =>
  getEnv()
    .LAYERBOARD_CONTEXT_ROOTS.split(path.delimiter)
    .filter(Boolean)
    .map((root) => path.resolve(root));
