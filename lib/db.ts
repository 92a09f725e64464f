// The Prisma client (adapter-pg, no engine binary), cached on globalThis across hot reloads.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv, poolTimeoutOptions, type DatabaseTimeouts } from "@/lib/env";

const cache = globalThis as unknown as { layerboardPrisma?: PrismaClient };

// Every connection has a connect, statement and idle-in-transaction timeout (lib/env.ts), so a
// stalled database fails a request within seconds (DATABASE_UNAVAILABLE) instead of hanging it.
export const createPrismaClient = (url = getEnv().DATABASE_URL, timeouts?: DatabaseTimeouts) =>
  new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10, ...poolTimeoutOptions(timeouts) }) });

export const getPrisma = (): PrismaClient => (cache.layerboardPrisma ??= createPrismaClient());

export const db = new Proxy({} as PrismaClient, {
  get: (_target, property) => Reflect.get(getPrisma(), property),
});

// For health checks: resolves when the database answers a trivial query.
export const pingDatabase = async (): Promise<void> => {
  await getPrisma().$queryRaw`SELECT 1`;
};

export type { PrismaClient };
export * as Prisma from "@/lib/generated/prisma/client";
