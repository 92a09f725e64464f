// Environment, validated once with zod; every setting has a default that works locally.
import "server-only";
import path from "node:path";
import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (the launcher sets it for the embedded database)"),
  DOCKER_HOST: z.string().optional(),
  LAYERBOARD_CONTEXT_ROOTS: z.string().default(path.resolve("examples")),
  LAYERBOARD_BASE_IMAGE: z.string().default("layerboard/bookworm-base:local"),
  LAYERBOARD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  LAYERBOARD_HEARTBEAT_TIMEOUT_S: z.coerce.number().int().min(5).default(60),
  LAYERBOARD_MAX_LOG_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  LAYERBOARD_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  LAYERBOARD_SMOKE_TIMEOUT_S: z.coerce.number().int().min(1).default(30),
  LAYERBOARD_SMOKE_MEMORY_MB: z.coerce.number().int().min(16).default(256),
  LAYERBOARD_NETWORK_MODE: z.string().optional(),
  LAYERBOARD_ADMIN_EMAIL: z.string().default("admin@localhost"),
  LAYERBOARD_ADMIN_PASSWORD: z.string().optional(),
  LAYERBOARD_SECURE_COOKIES: z.enum(["true", "false"]).default("false"),
  LAYERBOARD_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export const getEnv = (): Env => (cached ??= envSchema.parse(process.env));

export const getContextRoots = (): string[] =>
  getEnv()
    .LAYERBOARD_CONTEXT_ROOTS.split(path.delimiter)
    .filter(Boolean)
    .map((root) => path.resolve(root));
