// Layerboard's own image (Dockerfile at the repo root), built by Layerboard itself: the repo is a
// directory project, its build goes through the whole pipeline on the real engine and its advice
// has nothing high-severity. The image is then run against a real Postgres: a non-root user, no
// compiler, healthy by its own HEALTHCHECK, migrations applied at start, and the administrator
// signs in through the sign-in form over plain HTTP.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = path.resolve(".");
// Before getEnv() is first used: the repo itself is an allowed build context.
process.env.LAYERBOARD_CONTEXT_ROOTS = REPO_ROOT;

const { adviseOnLayers } = await import("@/lib/analysis/advice");
const { startBuild } = await import("@/lib/builds/start-build");
const { startWorker } = await import("@/lib/builds/worker");
const { stopQueue } = await import("@/lib/builds/queue");
const { getBuild } = await import("@/lib/data/builds");
const { SESSION_COOKIE } = await import("@/lib/auth/actor");
const { findFreePort } = await import("@/lib/database/free-port");
const { createDirectoryProject, docker, removeImages, runId, waitFor, waitForBuild, FINISHED } = await import("../support/pipeline");

/** The same tag every run, so the image's layers stay for the next run; LAYERBOARD_OWN_IMAGE_TAG overrides it. */
const IMAGE = process.env.LAYERBOARD_OWN_IMAGE_TAG ?? "layerboard/own-image:test";
const id = runId();
const ADMIN_EMAIL = `own-image-${id}@example.test`;
const ADMIN_PASSWORD = `own-image-${randomBytes(9).toString("base64url")}`;
const containers: string[] = [];
const perBuildTags: Array<string | null> = [];

// Certificates this host added to its trust store (a TLS-inspecting proxy in front of the npm
// registry): the build stage trusts them too (EXTRA_CA_CERT; never in the final image).
const LOCAL_CA_DIR = "/usr/local/share/ca-certificates";
const localCaCerts = () =>
  existsSync(LOCAL_CA_DIR)
    ? readdirSync(LOCAL_CA_DIR)
        .filter((file) => file.endsWith(".crt"))
        .map((file) => readFileSync(path.join(LOCAL_CA_DIR, file), "utf8").trim())
        .join("\n")
    : "";

const inspect = async <T>(format: string, ref: string): Promise<T> => JSON.parse((await docker(["inspect", "-f", `{{json ${format}}}`, ref])).trim()) as T;

// A database of its own on the test server: the container migrates and seeds it from nothing.
const adminUrl = () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = "/postgres";
  return url.toString();
};
const dbName = `layerboard_own_image_${id}`;
const withAdmin = async <T>(work: (client: pg.Client) => Promise<T>) => {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};
const containerDbUrl = () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${dbName}`;
  return url.toString();
};

let build: Awaited<ReturnType<typeof getBuild>>;
let imageId = "";

beforeAll(async () => {
  const project = await createDirectoryProject(`own-image-${id}`, REPO_ROOT, [
    { name: "image", dockerfile: "Dockerfile", buildArgs: localCaCerts() ? { EXTRA_CA_CERT: localCaCerts() } : {}, smokeCommand: ["node", "--version"] },
  ]);
  const worker = await startWorker();
  try {
    const queued = await startBuild(project.variants[0].id);
    const finished = await waitForBuild(queued.id, FINISHED, 1_500_000);
    perBuildTags.push(finished.imageTag);
    build = await getBuild(queued.id);
    expect(build.status, `${build.id}: ${build.error}`).toBe("SUCCEEDED");
  } finally {
    await worker.stop();
  }
  imageId = build.imageId!;
  // Move the fixed tag to this build's image; the one it had before goes (its layers stay cached).
  const previous = await docker(["image", "inspect", "-f", "{{.Id}}", IMAGE]).then((out) => out.trim(), () => null);
  await docker(["tag", imageId, IMAGE]);
  if (previous && previous !== imageId) await docker(["rmi", previous]).catch(() => undefined);
  console.log(`[own-image] ${IMAGE}: ${build.totalSize} bytes, ${build.cachedSteps}/${build.stepsTotal} steps cached, built in ${build.durationMs} ms`);
}, 1_800_000);

afterAll(async () => {
  for (const container of containers) await docker(["rm", "-f", container]).catch(() => undefined);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => undefined);
  await stopQueue();
  await removeImages(perBuildTags);
});

describe("Layerboard's own image", () => {
  it("has no high-severity advice when Layerboard builds it", async () => {
    const config = await inspect<{ User: string; Healthcheck: { Test: string[] } | null }>(".Config", imageId);
    const findings = adviseOnLayers({
      layers: build.layers.filter((layer) => layer.image === "main"),
      dockerfileText: readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8"),
      hasDockerignore: existsSync(path.join(REPO_ROOT, ".dockerignore")),
      config: { user: config.User, healthcheck: Boolean(config.Healthcheck?.Test?.length) },
    });
    expect(findings.filter((finding) => finding.severity === "high")).toEqual([]);
    // What the image promises on its own: a user that is not root and a HEALTHCHECK.
    expect(findings.map((finding) => finding.code)).not.toContain("RUNS_AS_ROOT");
    expect(findings.map((finding) => finding.code)).not.toContain("NO_HEALTHCHECK");
    expect(build.smoke?.runs).toBe(true);
  });

  it("runs as a non-root user and ships no compiler, npm or Python", async () => {
    const user = await inspect<string>(".Config.User", IMAGE);
    expect(user).not.toMatch(/^(?:|root|0)(?::.*)?$/);
    expect((await docker(["run", "--rm", "--network", "none", "--entrypoint", "id", IMAGE, "-u"])).trim()).not.toBe("0");
    const found = await docker([
      "run", "--rm", "--network", "none", "--entrypoint", "bash", IMAGE, "-c",
      "for tool in gcc cc c++ g++ clang make python3 npm npx yarn; do command -v \"$tool\" || true; done",
    ]);
    expect(found.trim()).toBe("");
    // The app's files belong to root: the app's user cannot rewrite them.
    expect((await docker(["run", "--rm", "--network", "none", "--entrypoint", "bash", IMAGE, "-c", "test -w server.js && echo writable || echo read-only"])).trim()).toBe("read-only");
  });

  it("migrates a fresh database at start, becomes healthy and lets the administrator sign in", async () => {
    await withAdmin((client) => client.query(`CREATE DATABASE "${dbName}"`));
    const port = await findFreePort();
    const name = `lb-own-image-${id}`;
    containers.push(name);
    // Host network: the test's Postgres listens on the host's loopback. The image's HEALTHCHECK
    // command, polled faster than its own 15 s interval.
    await docker([
      "run", "-d", "--name", name, "--network", "host", "--health-interval", "1s", "--health-start-period", "60s",
      "-e", `DATABASE_URL=${containerDbUrl()}`, "-e", `PORT=${port}`,
      "-e", `LAYERBOARD_ADMIN_EMAIL=${ADMIN_EMAIL}`, "-e", `LAYERBOARD_ADMIN_PASSWORD=${ADMIN_PASSWORD}`,
      "-e", "LAYERBOARD_HEALTH_REQUIRES_ENGINE=false",
      IMAGE,
    ]);
    await waitFor(
      "the container to be healthy",
      async () => {
        const state = await inspect<{ Running: boolean; Health?: { Status: string } }>(".State", name);
        if (!state.Running) throw new Error(`the container stopped:\n${await docker(["logs", name]).catch(String)}`);
        return state.Health?.Status === "healthy";
      },
      120_000,
      500,
    );

    // Every migration in prisma/migrations was applied by the container's start.
    const migrations = readdirSync(path.join(REPO_ROOT, "prisma", "migrations")).filter((entry) => /^\d+_/.test(entry));
    const applied = await withAdmin(async () => {
      const client = new pg.Client({ connectionString: containerDbUrl() });
      await client.connect();
      try {
        return (await client.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1')).rows.map((row) => row.migration_name);
      } finally {
        await client.end();
      }
    });
    expect(applied).toEqual(migrations.sort());

    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { database: { ok: boolean } }).database.ok).toBe(true);

    // The sign-in page, and its form submitted the way a browser without JavaScript does: the
    // server action's hidden fields from the rendered form, plus the credentials.
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain("Sign in");
    const form = html.match(/<form[^>]*>([\s\S]*?)<\/form>/)![1];
    const body = new FormData();
    for (const input of form.matchAll(/<input([^>]*)>/g)) {
      const attrs = Object.fromEntries([...input[1].matchAll(/([\w$:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2].replaceAll("&quot;", '"').replaceAll("&amp;", "&")]));
      if (attrs.type === "hidden" && attrs.name) body.append(attrs.name, attrs.value ?? "");
    }
    body.append("email", ADMIN_EMAIL);
    body.append("password", ADMIN_PASSWORD);
    const signIn = await fetch(`${base}/login`, { method: "POST", body, redirect: "manual", headers: { origin: base } });
    expect([303, 307]).toContain(signIn.status);
    const cookie = signIn.headers.getSetCookie().find((value) => value.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie, `no session cookie; status ${signIn.status}`).toBeTruthy();

    const home = await fetch(`${base}/`, { headers: { cookie: cookie!.split(";")[0] }, redirect: "manual" });
    expect(home.status).toBe(200);
    const page = await home.text();
    expect(page).toContain("Sign out");
    expect(page).toContain("Administrator");
  });
});
