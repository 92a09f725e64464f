// The Prisma client (adapter-pg, no engine binary), cached on globalThis across hot reloads.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

const cache = globalThis as unknown as { layerboardPrisma?: PrismaClient };

export const createPrismaClient = (url = getEnv().DATABASE_URL) =>
  new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });

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
