// Issue 17 in a real browser: a build page says where its compressed size comes from, what the
// image store's numbers mean, the push (and a failed push's message) and the pull cost; the
// project page's size chart switches to compressed sizes and keeps it in the URL; the compare
// page prices the variants together against separately. Builds are written straight to the
// database (the real push is tests/integration/registry-push.test.ts).
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, screenshot, signIn, trackConsoleErrors, useBrowser } from "../support/browser";

const unique = randomBytes(3).toString("hex");
const digest = (c: string) => `sha256:${c.repeat(64)}`;

afterAll(async () => {
  await db.$disconnect();
});

const createBuild = async (projectId: string, variantId: string, at: Date, own: { diff: string; blob: string; size: number; compressed: number }, push: Record<string, unknown>) =>
  db.build.create({
    data: {
      projectId,
      variantId,
      status: "SUCCEEDED",
      queuedAt: at,
      startedAt: at,
      finishedAt: new Date(at.getTime() + 20_000),
      durationMs: 20_000,
      imageId: digest(own.diff),
      imageTag: `layerboard/registry-e2e-${unique}:${own.diff}`,
      totalSize: BigInt(120_000_000 + own.size),
      compressedSize: BigInt(48_000_000 + own.compressed),
      imageStore: "overlay2",
      storageDriver: "overlay2",
      ...push,
      layers: {
        create: [
          { position: 0, createdBy: "Imported from -", instruction: "FROM base", size: 120_000_000n, isEmpty: false, isFromBase: true, layerDigest: digest("1"), compressedSize: 48_000_000n, compressedDigest: digest("a") },
          { position: 1, createdBy: "RUN install", instruction: "RUN install", size: BigInt(own.size), isEmpty: false, isFromBase: false, layerDigest: digest(own.diff), compressedSize: BigInt(own.compressed), compressedDigest: digest(own.blob) },
        ],
      },
    },
  });

describe("registries and pull cost", () => {
  const browser = useBrowser();

  it("shows the push, the compressed size, the pull cost, the compressed history and the comparison's pull cost", async () => {
    const project = await db.project.create({
      data: {
        slug: `registry-e2e-${unique}`,
        name: `Registry e2e ${unique}`,
        contextKind: "DIRECTORY",
        contextPath: path.resolve("examples/pyapp"),
        registryHost: "127.0.0.1:5000",
        registryRepository: "team",
        variants: { create: [{ name: "slim", strategy: "MULTI_STAGE", position: 0, budgetBasis: "COMPRESSED", sizeBudgetBytes: 60_000_000n }, { name: "full", strategy: "SINGLE_STAGE", position: 1 }] },
      },
      include: { variants: { orderBy: { position: "asc" } } },
    });
    const [slim, full] = project.variants;
    const t0 = new Date(Date.now() - 3600_000);
    await createBuild(project.id, slim.id, t0, { diff: "2", blob: "b", size: 30_000_000, compressed: 9_000_000 }, { pushStatus: "PUSHED", pushRef: `127.0.0.1:5000/team/registry-e2e-${unique}:slim-1`, pushDigest: digest("c"), compressedSource: "MANIFEST", baseImageRef: "127.0.0.1:5000/base:1", baseImageDigest: digest("d") });
    const latest = await createBuild(project.id, slim.id, new Date(t0.getTime() + 600_000), { diff: "3", blob: "e", size: 31_000_000, compressed: 9_500_000 }, { pushStatus: "FAILED", pushRef: `127.0.0.1:5000/team/registry-e2e-${unique}:slim-2`, pushError: "REGISTRY_AUTH_FAILED: unauthorized: authentication required", compressedSource: "ESTIMATED", baseImageRef: "127.0.0.1:5000/base:1", baseImageDigest: digest("f") });
    const other = await createBuild(project.id, full.id, new Date(t0.getTime() + 900_000), { diff: "4", blob: "9", size: 400_000_000, compressed: 130_000_000 }, { pushStatus: "PUSHED", pushRef: `127.0.0.1:5000/team/registry-e2e-${unique}:full-1`, pushDigest: digest("8"), compressedSource: "MANIFEST" });

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context);
    const errors = trackConsoleErrors(page);

    await page.goto(`${baseUrl()}/builds/${latest.id}`);
    const card = page.getByTestId("registry-card");
    await card.waitFor();
    await expect.poll(() => page.getByTestId("push-error").textContent()).toContain("unauthorized: authentication required");
    const cardText = (await card.textContent()) ?? "";
    expect(cardText).toContain("Pushed: failed. The build itself succeeded.");
    expect(cardText).toContain("estimated (gzip of each layer");
    expect(cardText).toContain("overlay2 store: on-disk = sum of uncompressed layers");
    expect(cardText).toContain("changed since the previous build");
    const pull = (await page.getByTestId("pull-cost").textContent()) ?? "";
    // 48 MB base + 9.5 MB own; 9.5 MB with the base; the base shared with the previous build and the other variant.
    expect(pull).toContain("57.5 MB");
    expect(pull).toContain("9.5 MB");
    expect(pull).toContain("48.0 MB");
    await screenshot(page, "registry-build-page");

    await page.goto(`${baseUrl()}/projects/${project.id}?size=compressed`);
    await page.getByRole("heading", { name: /Compressed image size/ }).waitFor();
    expect(await page.getByRole("navigation", { name: "Size shown" }).getByRole("link", { name: "Compressed" }).getAttribute("aria-current")).toBe("page");
    // The range links keep the compressed view.
    expect(await page.getByRole("navigation", { name: "Time range" }).getByRole("link", { name: "7 days" }).getAttribute("href")).toContain("size=compressed");
    await screenshot(page, "registry-project-compressed-history");

    await page.goto(`${baseUrl()}/compare?builds=${latest.id},${other.id}`);
    const cost = (await page.getByTestId("comparison-pull-cost").textContent()) ?? "";
    // Separately 57.5 + 178 MB; together the 48 MB base once: 187.5 MB.
    expect(cost).toContain("235.5 MB");
    expect(cost).toContain("187.5 MB");
    await screenshot(page, "registry-compare-pull-cost");

    // The registry form: the password is write-only, the page says only that one is set.
    const secret = `e2e-secret-${unique}-pw`;
    await page.goto(`${baseUrl()}/projects/${project.id}/settings`);
    const form = page.getByTestId("project-registry-form");
    expect(await form.locator('input[name="host"]').inputValue()).toBe("127.0.0.1:5000");
    await form.locator('input[name="username"]').fill("ci");
    await form.locator('input[name="password"]').fill(secret);
    await form.getByRole("button", { name: "Save registry" }).click();
    await form.getByText("Saved.").waitFor();
    await page.reload();
    await page.getByTestId("project-registry-form").getByText("(set; blank keeps it)").waitFor();
    expect(await page.content()).not.toContain(secret);
    const stored = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored.registryUsername).toBe("ci");
    expect(stored.registryPasswordCiphertext).toMatch(/^v1:/);
    await screenshot(page, "registry-project-settings");

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
