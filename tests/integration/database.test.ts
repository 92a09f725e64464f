import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";

describe("database", () => {
  afterAll(() => db.$disconnect());

  it("reaches the migrated test database through the Prisma client", async () => {
    const project = await db.project.create({ data: { slug: `db-test-${Date.now()}`, name: "db test" } });
    const found = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(found.name).toBe("db test");
    const [{ current_database }] = await db.$queryRaw<{ current_database: string }[]>`SELECT current_database()::text AS current_database`;
    expect(current_database).toMatch(/test/);
  });
});
