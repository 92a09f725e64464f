// Acceptance (issue 13): `layerboard build --context <checkout>` uploads a checkout that holds a
// .dockerignore'd secret: the build succeeds on the real worker and engine, and the secret's
// bytes are in no layer of the image (exported with `docker save` and searched) and cannot be
// read in a container.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/data/api-tokens";
import { baseUrl } from "../support/browser";

const CLI = path.resolve("scripts", "cli.mjs");
const BASE_IMAGE = process.env.LAYERBOARD_BASE_IMAGE ?? "layerboard/bookworm-base:local";
const run = randomBytes(3).toString("hex");
// Bytes that appear nowhere else: the test greps the exported image for them.
const SECRET = `lb-h13-secret-${randomBytes(16).toString("hex")}`;

type CliResult = { code: number | null; stdout: string; stderr: string };

const runCli = (args: string[]) =>
  new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LAYERBOARD_URL: "", LAYERBOARD_TOKEN: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

describe("layerboard build --context", () => {
  let checkout = "";
  let exportDir = "";
  let token = "";
  let image: string | null = null;

  beforeAll(async () => {
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), "lb-h13-checkout-"));
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-h13-export-"));
    fs.writeFileSync(path.join(checkout, "Dockerfile"), [`FROM ${BASE_IMAGE}`, "COPY . /app", 'CMD ["ls", "-A", "/app"]'].join("\n"));
    fs.writeFileSync(path.join(checkout, "app.txt"), `app ${run}\n`);
    fs.writeFileSync(path.join(checkout, ".env.production"), `API_KEY=${SECRET}\n`);
    fs.mkdirSync(path.join(checkout, "config"));
    fs.writeFileSync(path.join(checkout, "config", "settings.txt"), "kept\n");
    fs.writeFileSync(path.join(checkout, ".dockerignore"), ".env*\n");
    const admin = await db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    token = (await createApiToken({ name: `cli-context-${run}`, role: "ADMIN", createdById: admin.id })).token;
    // The project's own context is never used: the build takes the uploaded checkout.
    await db.project.create({
      data: { slug: `cli-context-${run}`, name: `CLI context ${run}`, contextKind: "GIT", gitUrl: "file:///nonexistent/repo.git", variants: { create: [{ name: "app" }] } },
    });
  });

  afterAll(async () => {
    if (image) execFileSync("docker", ["rmi", "-f", image], { stdio: "ignore" });
    fs.rmSync(checkout, { recursive: true, force: true });
    fs.rmSync(exportDir, { recursive: true, force: true });
    await db.$disconnect();
  });

  it("builds the uploaded checkout without the ignored secret", async () => {
    const result = await runCli(["build", "--project", `cli-context-${run}`, "--variant", "app", "--context", checkout, "--wait", "--url", baseUrl(), "--token", token]);
    expect(result.stderr).toMatch(/packed .*: 4 files .*1 excluded by \.dockerignore/);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^## Layerboard report: CLI context \w+ · app/);
    const buildId = result.stderr.match(/queued build (\S+)/)![1];
    const build = await db.build.findUniqueOrThrow({ where: { id: buildId }, include: { smoke: true } });
    image = build.imageTag;
    expect(build.status).toBe("SUCCEEDED");
    expect(build.contextRevision).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The image's own command lists /app: the checkout's files, not the secret.
    expect(build.smoke?.outputHead).toContain("app.txt");
    expect(build.smoke?.outputHead).toContain("config");
    expect(build.smoke?.outputHead).not.toContain(".env.production");

    // The uploaded archive itself never held the secret.
    const settings = build.settings as { contextArchiveId?: string };
    const archive = await db.contextArchive.findUniqueOrThrow({ where: { id: settings.contextArchiveId! } });
    const { gunzipSync } = await import("node:zlib");
    expect(gunzipSync(archive.data).includes(Buffer.from(SECRET))).toBe(false);
    expect(gunzipSync(archive.data).includes(Buffer.from(`app ${run}`))).toBe(true);

    // Every layer of the exported image, searched for the secret's bytes.
    const tarPath = path.join(exportDir, "image.tar");
    execFileSync("docker", ["save", "-o", tarPath, image!]);
    execFileSync("tar", ["-xf", tarPath, "-C", exportDir]);
    const layerTars = execFileSync("find", [exportDir, "-name", "layer.tar"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
    expect(layerTars.length).toBeGreaterThan(0);
    let sawApp = false;
    for (const layer of layerTars) {
      const bytes = fs.readFileSync(layer);
      expect(bytes.includes(Buffer.from(SECRET)), layer).toBe(false);
      if (bytes.includes(Buffer.from(`app ${run}`))) sawApp = true;
    }
    expect(sawApp).toBe(true);
    let catFailed = false;
    try {
      execFileSync("docker", ["run", "--rm", "--network", "none", image!, "cat", "/app/.env.production"], { stdio: "pipe" });
    } catch {
      catFailed = true;
    }
    expect(catFailed).toBe(true);
  });
});
