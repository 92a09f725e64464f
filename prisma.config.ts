// Prisma CLI configuration: the JS schema engine over adapter-pg, so generate and
// migrate work offline (the host Prisma downloads engine binaries from is unreachable).
// `prisma generate` with DATABASE_URL unset still tries to download the query engine, so
// the package.json scripts give it a placeholder URL; generate never connects.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Workaround for prisma/orm#27403: the JS schema engine cannot decode Postgres `name`
// columns (OID 19) that catalog queries return through adapter-pg. In the CLI's
// connection only, we relabel them as `text` (OID 25); the values are already strings.
const NAME_OID = 19;
const TEXT_OID = 25;
type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };
const relabelNameColumns = <T>(result: T): T => {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as QueryResultLike[])
    for (const field of r?.fields ?? []) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  return result;
};

const createCliPool = (connectionString: string) => {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : relabelNameColumns(res));
        return query(...args);
      }
      const out = query(...args) as Promise<unknown> | undefined;
      return out && typeof out.then === "function" ? out.then(relabelNameColumns) : out;
    };
  });
  return pool;
};

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (scripts/migrate.ts starts the embedded database and sets it)");
    return new PrismaPg(createCliPool(url));
  },
});
