// The size history at 5,000 builds (issue 16 item 5): the project page's chart data stays
// within HISTORY_POINTS_PER_SERIES points per variant, covers the whole range, and still holds
// every failed, does-not-run and over-budget build and each variant's extremes, checked
// against the rows themselves in the real database.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { findSizeHistory } from "@/lib/data/charts";
import { seedHistory, type SeededHistory } from "@/lib/harness/seed-history";
import { HISTORY_POINTS_PER_SERIES } from "@/lib/history/downsample-history";
import { flagPoint, pivotHistory } from "@/lib/history/shape-size-history";

const BUILDS = 5_000;

type Row = { id: string; variantId: string; status: string; totalSize: bigint | null; durationMs: number | null; runs: boolean | null; budget: bigint | null; finishedAt: Date };

describe("size history at 5,000 builds", () => {
  let seeded: SeededHistory;
  let rows: Row[];

  beforeAll(async () => {
    // Failures and images that do not run spread over every variant; the multi-stage drift
    // crosses its budget now and then.
    seeded = await seedHistory(db, { slug: `scale-${randomBytes(3).toString("hex")}`, builds: BUILDS, failEvery: 53, doesNotRun: 61 });
    rows = await db.$queryRaw<Row[]>`
      SELECT b.id, b."variantId", b.status::text AS status, b."totalSize", b."durationMs", s.runs, v."sizeBudgetBytes" AS budget, b."finishedAt"
      FROM "Build" b JOIN "Variant" v ON v.id = b."variantId" LEFT JOIN "SmokeResult" s ON s."buildId" = b.id
      WHERE b."projectId" = ${seeded.projectId} AND b.status::text IN ('SUCCEEDED', 'FAILED', 'INTERRUPTED') AND b."finishedAt" IS NOT NULL`;
  });

  const flagOf = (row: Row) =>
    flagPoint(
      { buildId: row.id, variantId: row.variantId, finishedAt: row.finishedAt.toISOString(), totalSize: row.totalSize === null ? null : Number(row.totalSize), durationMs: row.durationMs, status: row.status as never, runs: row.runs, contextRevision: null },
      row.budget === null ? null : Number(row.budget),
    );

  it("bounds every series and keeps every flagged build and the extremes, all time", async () => {
    expect(rows.length).toBeGreaterThan(4_900);
    const points = await findSizeHistory(seeded.projectId, {});
    const kept = new Set(points.map((p) => p.buildId));
    for (const variantId of seeded.variantIds) {
      const series = rows.filter((r) => r.variantId === variantId);
      const drawn = points.filter((p) => p.variantId === variantId);
      expect(series.length).toBeGreaterThan(HISTORY_POINTS_PER_SERIES);
      expect(drawn.length).toBeGreaterThan(60);
      expect(drawn.length).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES);
      // Oldest and newest build of the variant, the smallest and largest image, slowest and fastest build.
      const sized = series.filter((r) => r.totalSize !== null && r.status === "SUCCEEDED");
      const byTime = [...series].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
      const smallest = Math.min(...sized.map((r) => Number(r.totalSize)));
      const largest = Math.max(...sized.map((r) => Number(r.totalSize)));
      expect(kept.has(byTime[0].id)).toBe(true);
      expect(kept.has(byTime.at(-1)!.id)).toBe(true);
      expect(drawn.some((p) => p.totalSize === smallest)).toBe(true);
      expect(drawn.some((p) => p.totalSize === largest)).toBe(true);
      expect(drawn.some((p) => p.durationMs === Math.max(...series.map((r) => r.durationMs ?? 0)))).toBe(true);
    }
    const flagged = rows.filter((r) => flagOf(r) !== "ok");
    expect(new Set(flagged.map(flagOf))).toEqual(new Set(["failed", "does-not-run", "over-budget"]));
    expect(flagged.filter((r) => !kept.has(r.id)).map((r) => `${r.id} ${flagOf(r)}`)).toEqual([]);
    // What the chart draws: the markers are there, with the measured values of the rows.
    const variants = seeded.variantIds.map((id, i) => ({ id, name: `v${i}`, strategy: "CUSTOM" as const, sizeBudgetBytes: i === 1 ? 363_500_000 : null }));
    const markers = pivotHistory(points, variants, "size").flatMap((row) => Object.values(row.meta).filter((m) => m.flag !== "ok"));
    expect(markers).toHaveLength(flagged.length);
  });

  it("keeps the response the same size whatever the length of the history", async () => {
    const all = await findSizeHistory(seeded.projectId, {});
    const lastMonth = await findSizeHistory(seeded.projectId, { since: new Date(Date.now() - 30 * 24 * 3600_000) });
    // 30 days at one comparison every 2 hours is ~1,800 builds: already longer than the bound.
    expect(lastMonth.length).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES * seeded.variantIds.length);
    expect(all.length).toBeLessThanOrEqual(HISTORY_POINTS_PER_SERIES * seeded.variantIds.length);
    expect(Math.abs(JSON.stringify(all).length - JSON.stringify(lastMonth).length) / JSON.stringify(lastMonth).length).toBeLessThan(0.5);
    // One variant asked alone: only its points.
    const one = await findSizeHistory(seeded.projectId, { variantIds: [seeded.variantIds[3]] });
    expect(new Set(one.map((p) => p.variantId))).toEqual(new Set([seeded.variantIds[3]]));
  });

  it("returns a short history whole", async () => {
    const since = new Date(Date.now() - 24 * 3600_000);
    const points = await findSizeHistory(seeded.projectId, { since });
    const expected = rows.filter((r) => r.finishedAt >= since);
    expect(expected.length).toBeGreaterThan(20);
    expect(points.map((p) => p.buildId).sort()).toEqual(expected.map((r) => r.id).sort());
  });
});

describe("the size history kept until it changes", () => {
  let seeded: SeededHistory;
  const versionOf = async (projectId: string) => (await db.historyVersion.findUnique({ where: { projectId } }))?.version ?? BigInt(0);

  beforeAll(async () => {
    seeded = await seedHistory(db, { slug: `kept-${randomBytes(3).toString("hex")}`, builds: 60 });
  });

  it("answers again from what it kept, and shows every change to a build, its smoke verdict or a budget at once", async () => {
    const first = await findSizeHistory(seeded.projectId);
    const target = first.find((p) => p.status === "SUCCEEDED" && p.runs === true)!;
    expect(target).toBeDefined();
    expect(await findSizeHistory(seeded.projectId)).toEqual(first);

    // A heartbeat is not a change to the chart: the version stays.
    const before = await versionOf(seeded.projectId);
    await db.build.update({ where: { id: target.buildId }, data: { heartbeatAt: new Date() } });
    expect(await versionOf(seeded.projectId)).toBe(before);

    await db.build.update({ where: { id: target.buildId }, data: { totalSize: BigInt(123_456_789) } });
    expect((await findSizeHistory(seeded.projectId)).find((p) => p.buildId === target.buildId)?.totalSize).toBe(123_456_789);

    await db.smokeResult.update({ where: { buildId: target.buildId }, data: { runs: false } });
    expect((await findSizeHistory(seeded.projectId)).find((p) => p.buildId === target.buildId)?.runs).toBe(false);

    const budgetVersion = await versionOf(seeded.projectId);
    await db.variant.update({ where: { id: target.variantId }, data: { sizeBudgetBytes: BigInt(1) } });
    expect(await versionOf(seeded.projectId)).toBeGreaterThan(budgetVersion);

    await db.build.delete({ where: { id: target.buildId } });
    const after = await findSizeHistory(seeded.projectId);
    expect(after.some((p) => p.buildId === target.buildId)).toBe(false);
    expect(after).toHaveLength(first.length - 1);
  });
});
