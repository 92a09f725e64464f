// The one logger (pino): one JSON object a line from `npm start`, the worker and the launcher;
// pino-pretty (a transport, only when LAYERBOARD_LOG_FORMAT=pretty, which `npm run dev` sets)
// for people. Every line about a build carries its buildId (`buildLogger`); secrets are
// redacted by field name and scrubbed out of messages and errors. No `import "server-only"`:
// the launcher uses it under plain Node. The Next.js server's own output is not ours.
import pino, { type DestinationStream, type Logger } from "pino";
import { getOpsEnv, type OpsEnv } from "@/lib/env";

export type { Logger };

const CENSOR = "[REDACTED]";

/** Fields never written as they are, at the top level or one object down (pino `redact`). */
export const REDACT_PATHS = [
  "password",
  "token",
  "secret",
  "authorization",
  "cookie",
  "DATABASE_URL",
  "databaseUrl",
  "connectionString",
  "LAYERBOARD_ADMIN_PASSWORD",
  "LAYERBOARD_METRICS_TOKEN",
  "env",
].flatMap((key) => [key, `*.${key}`]);

// user:password@ in any URL (postgresql://layerboard:secret@host/db), Bearer values, API tokens.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, `$1:${CENSOR}@`],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${CENSOR}`],
  [/\blbt_[A-Za-z0-9_-]+/g, `lbt_${CENSOR}`],
];

/** The text with credentials in URLs, Bearer values and API tokens replaced. */
export const scrubSecrets = (text: string): string => SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);

const serializeError = (value: unknown) => {
  if (!(value instanceof Error)) return value;
  const serialized = pino.stdSerializers.err(value);
  return {
    ...serialized,
    message: scrubSecrets(serialized.message ?? ""),
    ...(serialized.stack ? { stack: scrubSecrets(serialized.stack) } : {}),
  };
};

export type LoggerOptions = {
  /** Where JSON lines go (tests); default stdout, or the pino-pretty transport. */
  stream?: DestinationStream;
  env?: Pick<OpsEnv, "LAYERBOARD_LOG_LEVEL" | "LAYERBOARD_LOG_FORMAT">;
};

export const createLogger = ({ stream, env = getOpsEnv() }: LoggerOptions = {}): Logger => {
  const pretty = env.LAYERBOARD_LOG_FORMAT === "pretty" && !stream;
  const options: pino.LoggerOptions = {
    level: env.LAYERBOARD_LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubSecrets(arg) : arg)) as Parameters<typeof method>;
        return method.apply(this, scrubbed);
      },
    },
    // "level":"info" rather than 30 for log collectors; pino-pretty wants the numbers.
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" } } }
      : { formatters: { level: (label: string) => ({ level: label }) } }),
  };
  return stream ? pino(options, stream) : pino(options);
};

const cache = globalThis as unknown as { layerboardLogger?: Logger };

/** This process's logger, made on first use (after the launcher has set LAYERBOARD_LOG_FORMAT). */
export const getLogger = (): Logger => (cache.layerboardLogger ??= createLogger());

/** Lines about one build: each carries `buildId`. */
export const buildLogger = (buildId: string, bindings: Record<string, unknown> = {}): Logger => getLogger().child({ ...bindings, buildId });
