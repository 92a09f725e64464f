// Reports read stored builds, so these tests seed build rows with known numbers in the
// real test database and check every export, verdicts, budgets and share links against
// them through the real route handlers.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/data/api-tokens";
import { getBuildReport as getStoredBuildReport, getComparisonReport as getStoredComparisonReport } from "@/lib/data/reports";
import { createShareLink, findShareLinks, getSharedReport, revokeShareLink } from "@/lib/data/share-links";
import { GET as getBuildReport } from "@/app/api/builds/[id]/report/route";
import { GET as getComparisonReport } from "@/app/api/comparisons/[id]/report/route";
import { GET as getBuildVerdict } from "@/app/api/builds/[id]/verdict/route";
import { GET as getComparisonVerdict } from "@/app/api/comparisons/[id]/verdict/route";
import { GET as listShareLinks, POST as postShareLink } from "@/app/api/share-links/route";
import { DELETE as deleteShareLink } from "@/app/api/share-links/[id]/route";
import { PATCH as patchVariant } from "@/app/api/variants/[id]/route";
import { GET as getSharedDownload } from "@/app/r/[token]/report/route";
import type { Report } from "@/lib/reports/build-report";

const BASE = "http://layerboard.test";
const MB = 1_000_000;
const run = randomBytes(3).toString("hex");

const tokens: Record<"ADMIN" | "BUILDER" | "VIEWER", string> = { ADMIN: "", BUILDER: "", VIEWER: "" };
const ids = { project: "", single: "", multi: "", copies: "", comparison: "", previousMulti: "", buildSingle: "", buildMulti: "", buildCopies: "" };

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

const call = <P>(handler: Handler<P>, params: P, path: string, init: { method?: string; role?: keyof typeof tokens | null; body?: unknown } = {}) =>
  handler(
    new Request(`${BASE}${path}`, {
      method: init.method ?? "GET",
      headers: {
        ...(init.role === null ? {} : { authorization: `Bearer ${tokens[init.role ?? "VIEWER"]}` }),
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(params) },
  );

const seedBuild = async (input: {
  variantId: string;
  comparisonId?: string;
  queuedAt: Date;
  status?: "SUCCEEDED" | "FAILED";
  size: number | null;
  ownLayers: { instruction: string; size: number }[];
  runs: boolean | null;
  smokeError?: string;
}) => {
  const base = 199 * MB;
  const build = await db.build.create({
    data: {
      projectId: ids.project,
      variantId: input.variantId,
      comparisonId: input.comparisonId ?? null,
      status: input.status ?? "SUCCEEDED",
      queuedAt: input.queuedAt,
      startedAt: input.queuedAt,
      finishedAt: new Date(input.queuedAt.getTime() + 60_000),
      durationMs: 60_000,
      totalSize: input.size === null ? null : BigInt(input.size),
      imageId: input.size === null ? null : `sha256:${randomBytes(32).toString("hex")}`,
      stepsTotal: 8,
      stepsDone: 8,
      cachedSteps: 3,
      error: input.status === "FAILED" ? "RUN make: exit status 2" : null,
      errorCode: input.status === "FAILED" ? "BUILD_FAILED" : null,
    },
  });
  if (input.size !== null) {
    await db.layer.createMany({
      data: [
        { buildId: build.id, position: 0, createdBy: "base", instruction: "Imported from -", size: BigInt(base), isEmpty: false, isFromBase: true },
        ...input.ownLayers.map((layer, i) => ({
          buildId: build.id,
          position: i + 1,
          createdBy: layer.instruction,
          instruction: layer.instruction,
          size: BigInt(layer.size),
          isEmpty: false,
          isFromBase: false,
        })),
        { buildId: build.id, position: input.ownLayers.length + 1, createdBy: "CMD", instruction: 'CMD ["app"]', size: 0n, isEmpty: true, isFromBase: false },
      ],
    });
  }
  if (input.runs !== null)
    await db.smokeResult.create({
      data: { buildId: build.id, command: ["app"], runs: input.runs, exitCode: input.runs ? 0 : 127, durationMs: 200, error: input.smokeError ?? null },
    });
  return build.id;
};

beforeAll(async () => {
  const admin = await db.user.create({ data: { email: `reports-${run}@test`, name: "Reports admin", passwordHash: "x", role: "ADMIN" } });
  for (const role of ["ADMIN", "BUILDER", "VIEWER"] as const) tokens[role] = (await createApiToken({ name: `reports-${role}`, role, createdById: admin.id })).token;
  const project = await db.project.create({
    data: {
      slug: `reports-${run}`,
      name: "Reports | test",
      contextKind: "DIRECTORY",
      contextPath: "pyapp",
      variants: {
        create: [
          { name: "single-stage", strategy: "SINGLE_STAGE", position: 0 },
          { name: "multi-stage", strategy: "MULTI_STAGE", position: 1, sizeBudgetBytes: BigInt(300 * MB), regressionThresholdPct: 2 },
          { name: "venv --copies", strategy: "VENV_COPIES", position: 2 },
        ],
      },
    },
    include: { variants: true },
  });
  ids.project = project.id;
  const variant = (name: string) => project.variants.find((v) => v.name === name)!.id;
  ids.single = variant("single-stage");
  ids.multi = variant("multi-stage");
  ids.copies = variant("venv --copies");
  ids.previousMulti = await seedBuild({
    variantId: ids.multi,
    queuedAt: new Date("2026-11-01T10:00:00Z"),
    size: 340 * MB,
    ownLayers: [{ instruction: "RUN apt-get install -y python3", size: 119 * MB }, { instruction: "COPY /opt/venv /opt/venv", size: 22 * MB }],
    runs: true,
  });
  // a failed multi-stage build in between is not "previous": only successful ones count
  await seedBuild({ variantId: ids.multi, queuedAt: new Date("2026-11-02T10:00:00Z"), status: "FAILED", size: null, ownLayers: [], runs: null });
  const comparison = await db.comparison.create({ data: { projectId: project.id, createdAt: new Date("2026-11-03T10:00:00Z") } });
  ids.comparison = comparison.id;
  const at = (second: number) => new Date(`2026-11-03T10:00:0${second}Z`);
  ids.buildSingle = await seedBuild({
    variantId: ids.single,
    comparisonId: comparison.id,
    queuedAt: at(1),
    size: 799 * MB,
    ownLayers: [{ instruction: "RUN apt-get update && apt-get install -y build-essential python3-dev", size: 560 * MB }, { instruction: "COPY . /app", size: 40 * MB }],
    runs: true,
  });
  ids.buildMulti = await seedBuild({
    variantId: ids.multi,
    comparisonId: comparison.id,
    queuedAt: at(2),
    size: 354 * MB,
    ownLayers: [{ instruction: "RUN apt-get install -y python3", size: 133 * MB }, { instruction: "COPY /opt/venv /opt/venv", size: 22 * MB }],
    runs: true,
  });
  ids.buildCopies = await seedBuild({
    variantId: ids.copies,
    comparisonId: comparison.id,
    queuedAt: at(3),
    size: 241 * MB,
    ownLayers: [{ instruction: "COPY /opt/venv /opt/venv", size: 42 * MB }],
    runs: false,
    smokeError: "libexpat.so.1: cannot open shared object file",
  });
});

afterAll(() => db.$disconnect());

const storedSizes = async () => {
  const rows = await db.build.findMany({ where: { comparisonId: ids.comparison }, include: { variant: true } });
  return Object.fromEntries(rows.map((row) => [row.variant.name, Number(row.totalSize)]));
};

describe("comparison report", () => {
  it("assembles sizes, deltas vs baseline and vs the previous successful build from the stored builds", async () => {
    const report = await getStoredComparisonReport(ids.comparison);
    const sizes = await storedSizes();
    expect(report.rows.map((row) => [row.variant, row.size])).toEqual([
      ["single-stage", sizes["single-stage"]],
      ["multi-stage", sizes["multi-stage"]],
      ["venv --copies", sizes["venv --copies"]],
    ]);
    const multi = report.rows[1];
    expect(multi.deltaVsBaseline.bytes).toBe(sizes["multi-stage"] - sizes["single-stage"]);
    expect(multi.previousBuildId).toBe(ids.previousMulti);
    expect(multi.deltaVsPrevious.bytes).toBe(14 * MB);
    expect(multi.baseSize).toBe(199 * MB);
    expect(multi.layerCount).toBe(3);
    expect(multi.budget).toMatchObject({ overBudget: true, regression: true, passed: false });
    expect(report.rows[2]).toMatchObject({ runs: false, smokeError: "libexpat.so.1: cannot open shared object file" });
    expect(report.baseline).toMatchObject({ buildId: ids.buildSingle, size: 799 * MB });
  });

  it("exports Markdown with the stored numbers, as text/markdown", async () => {
    const response = await call(getComparisonReport, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/report?format=md`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="layerboard-reports-${run}-comparison-${ids.comparison}.md"`);
    const markdown = await response.text();
    expect(markdown).toContain("## Layerboard report: Reports \\| test · comparison of 3 variants");
    // --copies is smaller but does not run: multi-stage is the smallest that runs (no compressed size: never pushed or analysed)
    expect(markdown).toMatch(/\| \*\*multi-stage\*\* ⭐ smallest that runs \| succeeded \| 354\.0 MB \| — \| −445\.0 MB \(−55\.7 %\) \| \+14\.0 MB \(\+4\.1 %\) \| ✅ runs \|/);
    expect(markdown).toMatch(/\| \*\*venv --copies\*\* \| succeeded \| 241\.0 MB \| .* \| ❌ does not run \|/);
    expect(markdown).toContain("**Smallest that runs:** ⭐ multi-stage (354.0 MB) (smaller but not running: venv --copies 241.0 MB)");
    expect(markdown).toContain("- multi-stage: 354.0 MB is over the budget of 300.0 MB (by 54.0 MB)");
    expect(markdown).toContain(`[Open in Layerboard](${BASE}/compare?comparison=${ids.comparison})`);
  });

  it("exports the complete JSON with the stored numbers", async () => {
    const response = await call(getComparisonReport, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/report?format=json&download=1`);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".*\.json"$/);
    const report = (await response.json()) as Report;
    expect(report.schemaVersion).toBe(4);
    const sizes = await storedSizes();
    for (const row of report.rows) expect(row.size).toBe(sizes[row.variant]);
    const layers = await db.layer.count({ where: { build: { comparisonId: ids.comparison }, image: "main", isEmpty: false } });
    expect(report.layers).toHaveLength(layers);
  });

  it("exports CSV per build and per layer with the stored numbers", async () => {
    const response = await call(getComparisonReport, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/report?format=csv`);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const [header, ...lines] = (await response.text()).trimEnd().split("\r\n");
    const columns = header.split(",");
    const sizes = await storedSizes();
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const cells = line.split(",");
      expect(Number(cells[columns.indexOf("size_bytes")])).toBe(sizes[cells[columns.indexOf("variant")]]);
    }
    const multi = lines.find((line) => line.includes(",multi-stage,"))!.split(",");
    expect(multi[columns.indexOf("delta_vs_previous_bytes")]).toBe(String(14 * MB));
    expect(multi[columns.indexOf("budget_passed")]).toBe("false");

    const layerResponse = await call(getComparisonReport, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/report?format=csv&rows=layers`);
    expect(layerResponse.headers.get("content-disposition")).toContain("-layers.csv");
    const layerLines = (await layerResponse.text()).trimEnd().split("\r\n");
    const stored = await db.layer.findMany({ where: { build: { comparisonId: ids.comparison }, image: "main", isEmpty: false } });
    expect(layerLines).toHaveLength(stored.length + 1);
    expect(layerLines.join("\n")).toContain(`,${560 * MB},false,70.09`);
  });

  it("refuses anonymous callers and unknown formats", async () => {
    expect((await call(getComparisonReport, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/report`, { role: null })).status).toBe(401);
    expect((await call(getComparisonReport, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/report?format=xlsx`)).status).toBe(400);
    expect((await call(getComparisonReport, { id: "missing" }, `/api/comparisons/missing/report`)).status).toBe(404);
  });
});

describe("verdicts", () => {
  it("fails a comparison whose image does not run, and says why", async () => {
    const response = await call(getComparisonVerdict, { id: ids.comparison }, `/api/comparisons/${ids.comparison}/verdict`);
    const { verdict } = await response.json();
    expect(verdict).toMatchObject({ done: true, passed: false, healthy: false, budgetPassed: false, runs: false, status: "SUCCEEDED" });
    expect(verdict.messages).toContain("venv --copies: the image does not run (libexpat.so.1: cannot open shared object file)");
  });

  it("separates an over-budget build from a broken one", async () => {
    const multi = (await (await call(getBuildVerdict, { id: ids.buildMulti }, `/api/builds/${ids.buildMulti}/verdict`)).json()).verdict;
    expect(multi).toMatchObject({ passed: false, healthy: true, budgetPassed: false, status: "SUCCEEDED", runs: true });
    const single = (await (await call(getBuildVerdict, { id: ids.buildSingle }, `/api/builds/${ids.buildSingle}/verdict`)).json()).verdict;
    expect(single).toMatchObject({ passed: true, messages: [] });
  });

  it("reports a single build against its comparison's baseline", async () => {
    const report = await getStoredBuildReport(ids.buildMulti);
    expect(report.kind).toBe("build");
    expect(report.baseline).toMatchObject({ buildId: ids.buildSingle });
    expect(report.rows[0].deltaVsBaseline.bytes).toBe(-445 * MB);
    const response = await call(getBuildReport, { id: ids.buildMulti }, `/api/builds/${ids.buildMulti}/report?format=md`);
    expect(await response.text()).toContain("Build of multi-stage");
  });
});

describe("budgets", () => {
  it("lets an admin set, keep and clear a variant's budget", async () => {
    const path = `/api/variants/${ids.single}`;
    const set = await call(patchVariant, { id: ids.single }, path, { method: "PATCH", role: "ADMIN", body: { sizeBudgetBytes: 700 * MB, regressionThresholdPct: 5 } });
    expect(set.status).toBe(200);
    expect((await set.json()).variant).toMatchObject({ sizeBudgetBytes: 700 * MB, regressionThresholdPct: 5 });
    const verdict = (await (await call(getBuildVerdict, { id: ids.buildSingle }, `/api/builds/${ids.buildSingle}/verdict`)).json()).verdict;
    expect(verdict).toMatchObject({ budgetPassed: false, messages: ["single-stage: 799.0 MB is over the budget of 700.0 MB (by 99.0 MB)"] });

    const keep = await call(patchVariant, { id: ids.single }, path, { method: "PATCH", role: "ADMIN", body: { sizeBudgetBytes: null } });
    expect((await keep.json()).variant).toMatchObject({ sizeBudgetBytes: null, regressionThresholdPct: 5 });
    await call(patchVariant, { id: ids.single }, path, { method: "PATCH", role: "ADMIN", body: { regressionThresholdPct: null } });
    expect(await db.variant.findUniqueOrThrow({ where: { id: ids.single } })).toMatchObject({ sizeBudgetBytes: null, regressionThresholdPct: null });
  });

  it("refuses builders, bad values and unknown fields without changing anything", async () => {
    const path = `/api/variants/${ids.multi}`;
    expect((await call(patchVariant, { id: ids.multi }, path, { method: "PATCH", role: "BUILDER", body: { sizeBudgetBytes: 1 } })).status).toBe(403);
    for (const body of [{ sizeBudgetBytes: -5 }, { sizeBudgetBytes: 1.5 }, { regressionThresholdPct: 0 }, { nme: "x", sizeBudgetBytes: 1 }, {}]) {
      const response = await call(patchVariant, { id: ids.multi }, path, { method: "PATCH", role: "ADMIN", body });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("VALIDATION");
    }
    expect((await call(patchVariant, { id: "missing" }, "/api/variants/missing", { method: "PATCH", role: "ADMIN", body: { sizeBudgetBytes: 1 } })).status).toBe(404);
    expect(Number((await db.variant.findUniqueOrThrow({ where: { id: ids.multi } })).sizeBudgetBytes)).toBe(300 * MB);
  });
});

describe("share links", () => {
  it("creates a link through the API for builders only, storing only the token's hash", async () => {
    const body = { kind: "comparison", comparisonId: ids.comparison, expiresInDays: 7 };
    expect((await call(postShareLink, {}, "/api/share-links", { method: "POST", role: "VIEWER", body })).status).toBe(403);
    expect((await call(postShareLink, {}, "/api/share-links", { method: "POST", role: "BUILDER", body: { kind: "comparison", buildId: ids.buildMulti } })).status).toBe(400);
    const response = await call(postShareLink, {}, "/api/share-links", { method: "POST", role: "BUILDER", body });
    expect(response.status).toBe(201);
    const { shareLink } = await response.json();
    expect(shareLink.path).toBe(`/r/${shareLink.token}`);
    expect(shareLink.token).toMatch(/^lbr_/);
    expect(new Date(shareLink.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    const row = await db.shareLink.findUniqueOrThrow({ where: { id: shareLink.id } });
    expect(row.tokenHash).not.toContain(shareLink.token);
    expect(JSON.stringify(row)).not.toContain(shareLink.token);
    const listed = await (await call(listShareLinks, {}, `/api/share-links?comparisonId=${ids.comparison}`)).json();
    expect(listed.shareLinks.find((link: { id: string }) => link.id === shareLink.id)).toMatchObject({ active: true });
    expect(JSON.stringify(listed)).not.toContain(shareLink.token);
    expect((await getSharedReport(shareLink.token)).report.rows).toHaveLength(3);
  });

  it("serves a frozen snapshot: later builds and budget changes do not change it", async () => {
    const link = await createShareLink({ kind: "comparison", comparisonId: ids.comparison });
    const before = (await getSharedReport(link.token)).report;
    const extra = await seedBuild({
      variantId: ids.multi,
      comparisonId: ids.comparison,
      queuedAt: new Date("2026-11-03T10:00:09Z"),
      size: 500 * MB,
      ownLayers: [{ instruction: "RUN make everything", size: 301 * MB }],
      runs: true,
    });
    await db.variant.update({ where: { id: ids.multi }, data: { sizeBudgetBytes: BigInt(900 * MB) } });
    try {
      expect((await getStoredComparisonReport(ids.comparison)).rows).toHaveLength(4);
      const after = (await getSharedReport(link.token)).report;
      expect(after).toEqual(before);
      expect(after.rows).toHaveLength(3);
      expect(after.rows[1].budget.sizeBudgetBytes).toBe(300 * MB);
    } finally {
      await db.build.delete({ where: { id: extra } });
      await db.variant.update({ where: { id: ids.multi }, data: { sizeBudgetBytes: BigInt(300 * MB) } });
    }
  });

  it("serves the snapshot publicly as a download until it is revoked", async () => {
    const link = await createShareLink({ kind: "build", buildId: ids.buildCopies });
    const download = await call(getSharedDownload, { token: link.token }, `/r/${link.token}/report?format=csv`, { role: null });
    expect(download.status).toBe(200);
    expect(download.headers.get("x-robots-tag")).toBe("noindex");
    expect(await download.text()).toContain("libexpat.so.1: cannot open shared object file");

    expect((await call(deleteShareLink, { id: link.id }, `/api/share-links/${link.id}`, { method: "DELETE", role: "VIEWER" })).status).toBe(403);
    const revoked = await call(deleteShareLink, { id: link.id }, `/api/share-links/${link.id}`, { method: "DELETE", role: "BUILDER" });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).shareLink).toMatchObject({ active: false });
    await expect(getSharedReport(link.token)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await call(getSharedDownload, { token: link.token }, `/r/${link.token}/report?format=md`, { role: null })).status).toBe(404);
    expect((await call(deleteShareLink, { id: link.id }, `/api/share-links/${link.id}`, { method: "DELETE", role: "BUILDER" })).status).toBe(404);
    expect((await findShareLinks({ buildId: ids.buildCopies })).find((l) => l.id === link.id)).toMatchObject({ active: false });
  });

  it("answers NOT_FOUND for unknown and expired links", async () => {
    await expect(getSharedReport("lbr_doesnotexistdoesnotexistdoesnotexist0000")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const link = await createShareLink({ kind: "build", buildId: ids.buildMulti, expiresInDays: 1 });
    expect((await getSharedReport(link.token)).expiresAt).toBe(link.expiresAt);
    await db.shareLink.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(getSharedReport(link.token)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeShareLink("missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a link to something that does not exist", async () => {
    await expect(createShareLink({ kind: "build", buildId: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
