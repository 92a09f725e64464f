// Issue 17 item 6 against the real engine (20.10, BuildKit 0.8) and Postgres: BuildKit builds get
// a session of Layerboard's own that serves build secrets and registry credentials. A secret is
// read by a RUN step and found nowhere in the image (`docker save`, history, inspect) nor the log;
// a missing required secret fails the build naming it; a cancel leaves no session open; the API
// is admin-only and write-only; a private FROM image is pulled with the project's credentials.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { openSessionCount } from "@/lib/docker/buildkit-session";
import { POST as postCancel } from "@/app/api/builds/[id]/cancel/route";
import { DELETE as deleteProjectSecrets, GET as getProjectSecrets, PUT as putProjectSecrets } from "@/app/api/projects/[id]/secrets/route";
import { GET as getVariantSecrets, PUT as putVariantSecrets } from "@/app/api/variants/[id]/secrets/route";
import { PUT as putRegistryRoute } from "@/app/api/projects/[id]/registry/route";
import {
  BASE_IMAGE,
  callRoute,
  createDirectoryProject,
  createToken,
  docker,
  imageExists,
  processesMatching,
  queueBuild,
  usePipelineRun,
  waitFor,
  waitForBuild,
  writeContext,
} from "../support/pipeline";
import { startRegistry, type TestRegistry } from "../support/registry";

const execFileP = promisify(execFile);
const run = usePipelineRun("ADMIN");
const { root, id } = run;
// Random bytes no image, log or history could hold by chance; different lengths tell which one was mounted.
const PROJECT_VALUE = `h17s-project-${id}-Q7v!x9Lr2`;
const VARIANT_VALUE = `h17s-variant-${id}-Zk3#Wq8Pm5nB0c`;
let worker: WorkerHandle;

const putSecret = async (scope: "project" | "variant", targetId: string, body: unknown, token = run.token) =>
  callRoute(scope === "project" ? putProjectSecrets : putVariantSecrets, {
    method: "PUT",
    url: `/api/${scope === "project" ? "projects" : "variants"}/${targetId}/secrets`,
    token,
    params: { id: targetId },
    body,
  });

const build = async (variantId: string, timeoutMs = 300_000) => {
  const done = await waitForBuild(await queueBuild(run.token, variantId), undefined, timeoutMs);
  run.images.push(done.imageTag);
  return done;
};

const logOf = async (buildId: string) => (await db.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" } })).map((line) => line.text).join("\n");

/** Whether any of `needles` occurs in the whole `docker save` tar of `image` (streamed, chunk borders overlapped). */
const saveContains = (image: string, needles: string[]): Promise<{ found: string[]; bytes: number }> =>
  new Promise((resolve, reject) => {
    const buffers = needles.map((needle) => Buffer.from(needle));
    const overlap = Math.max(...buffers.map((b) => b.length));
    const child = spawn("docker", ["save", image], { stdio: ["ignore", "pipe", "pipe"] });
    const found = new Set<string>();
    let tail = Buffer.alloc(0);
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      const window = Buffer.concat([tail, chunk]);
      buffers.forEach((needle, index) => {
        if (window.includes(needle)) found.add(needles[index]);
      });
      tail = window.subarray(Math.max(0, window.length - overlap));
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve({ found: [...found], bytes }) : reject(new Error(`docker save exited ${code}: ${stderr}`))));
  });

const readFileInImage = async (image: string, file: string) =>
  (await execFileP("docker", ["run", "--rm", "--network", "none", "--entrypoint", "cat", image, file])).stdout;

beforeAll(async () => {
  worker = await startWorker({ concurrency: 1 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("BuildKit build secrets", () => {
  it("mounts a required secret (the variant's over the project's) and skips a missing optional one; the value is nowhere in the image or the log", async () => {
    const dir = writeContext(root, `secrets-${id}`, {
      Dockerfile: [
        `FROM ${BASE_IMAGE}`,
        // No `# syntax=` line: the engine's built-in Dockerfile frontend (20.10) knows RUN --mount.
        // The run id in each RUN: BuildKit's cache key does not cover secrets, a cached step would read none.
        `RUN --mount=type=secret,id=token,required=true --mount=type=secret,id=h17s-optional echo ${id} > /run-id && \\`,
        "    wc -c < /run/secrets/token > /size && ls /run/secrets > /mounted && (test -e /run/secrets/h17s-optional && echo yes || echo no) > /optional",
        // A step that prints the secret: BuildKit logs it, Layerboard masks it in what it stores.
        `RUN --mount=type=secret,id=token cat /run/secrets/token && echo && echo ${id}`,
        'CMD ["cat", "/size"]',
      ].join("\n"),
    });
    const project = await createDirectoryProject(`h17s-secrets-${id}`, dir, [{ name: "default" }]);
    const variantId = project.variants[0].id;
    expect((await putSecret("project", project.id, { name: "token", value: PROJECT_VALUE })).status).toBe(200);
    expect((await putSecret("variant", variantId, { name: "token", value: VARIANT_VALUE })).status).toBe(200);

    const done = await build(variantId);
    expect(done.status, `${done.id}: ${done.error}`).toBe("SUCCEEDED");
    expect(openSessionCount()).toBe(0);

    // The RUN step read the variant's value (its length), saw only that mount, and no optional one.
    expect(Number((await readFileInImage(done.imageTag!, "/size")).trim())).toBe(Buffer.byteLength(VARIANT_VALUE));
    expect((await readFileInImage(done.imageTag!, "/mounted")).trim()).toBe("token");
    expect((await readFileInImage(done.imageTag!, "/optional")).trim()).toBe("no");

    const needles = [PROJECT_VALUE, VARIANT_VALUE, Buffer.from(VARIANT_VALUE).toString("base64")];
    const saved = await saveContains(done.imageTag!, needles);
    expect(saved.bytes).toBeGreaterThan(1_000_000);
    expect(saved.found).toEqual([]);
    const history = await docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", done.imageTag!]);
    expect(history).toContain("wc -c < /run/secrets/token");
    const inspect = await docker(["image", "inspect", done.imageTag!]);
    const stored = JSON.stringify(await db.build.findUniqueOrThrow({ where: { id: done.id }, include: { layers: true } }), (_key, value) =>
      typeof value === "bigint" ? value.toString() : value,
    );
    const log = await logOf(done.id);
    expect(log).toContain("***");
    for (const text of [history, inspect, stored, log]) for (const needle of needles) expect(text).not.toContain(needle);
  }, 300_000);

  it("fails a build whose required secret is not defined, naming the secret", async () => {
    const dir = writeContext(root, `missing-${id}`, {
      Dockerfile: [`FROM ${BASE_IMAGE}`, "RUN --mount=type=secret,id=h17s-missing,required=true cat /run/secrets/h17s-missing", 'CMD ["true"]'].join("\n"),
    });
    const project = await createDirectoryProject(`h17s-missing-${id}`, dir, [{ name: "default" }]);
    // Another secret is defined: the session answers, it just does not know this id.
    expect((await putSecret("project", project.id, { name: "other", value: PROJECT_VALUE })).status).toBe(200);
    const done = await build(project.variants[0].id);
    expect(done.status).toBe("FAILED");
    expect(done.errorCode).toBe("BUILD_FAILED");
    expect(done.error).toBe('build secret "h17s-missing" is not defined for this project or variant');
    expect(openSessionCount()).toBe(0);
  }, 300_000);

  it("closes the session when a build is cancelled mid-RUN", async () => {
    const marker = `h17s-cancel-${id}`;
    const dir = writeContext(root, marker, {
      Dockerfile: [`FROM ${BASE_IMAGE}`, `RUN --mount=type=secret,id=token echo ${marker} && sleep 60`, 'CMD ["true"]'].join("\n"),
    });
    const project = await createDirectoryProject(marker, dir, [{ name: "default" }]);
    expect((await putSecret("project", project.id, { name: "token", value: PROJECT_VALUE })).status).toBe(200);
    const buildId = await queueBuild(run.token, project.variants[0].id);
    await waitFor(`${marker} to be logged`, () => db.logLine.count({ where: { buildId, text: marker } }), 120_000);
    await waitFor(`the RUN process of ${marker}`, () => processesMatching(`${marker} && sleep 60`).length > 0, 10_000);
    // The build's session is open while its RUN step runs.
    expect(openSessionCount()).toBe(1);

    const response = await callRoute(postCancel, { method: "POST", url: `/api/builds/${buildId}/cancel`, token: run.token, params: { id: buildId } });
    expect(response.status).toBe(202);
    const done = await waitForBuild(buildId, ["CANCELLED", "FAILED", "SUCCEEDED", "INTERRUPTED"], 20_000);
    run.images.push(done.imageTag);
    expect(done.status).toBe("CANCELLED");
    expect(openSessionCount()).toBe(0);
    await waitFor(`the RUN process of ${marker} to end`, () => processesMatching(`${marker} && sleep 60`).length === 0, 15_000);
  }, 300_000);
});

describe("the build secrets API", () => {
  it("is write-only, refuses bad names with a field error and nothing stored, and is admin-only", async () => {
    const dir = writeContext(root, `api-${id}`, { Dockerfile: `FROM ${BASE_IMAGE}\n` });
    const project = await createDirectoryProject(`h17s-api-${id}`, dir, [{ name: "default" }]);
    const variantId = project.variants[0].id;

    const put = await putSecret("project", project.id, { name: "npm.token_1-x", value: PROJECT_VALUE });
    const putText = await put.text();
    expect(put.status, putText).toBe(200);
    expect(putText).not.toContain(PROJECT_VALUE);
    const listed = await callRoute(getProjectSecrets, { url: `/api/projects/${project.id}/secrets`, token: run.token, params: { id: project.id } });
    const listedText = await listed.text();
    expect(listed.status).toBe(200);
    expect(listedText).not.toContain(PROJECT_VALUE);
    const body = JSON.parse(listedText) as { secrets: Array<Record<string, unknown>> };
    expect(body.secrets).toHaveLength(1);
    expect(Object.keys(body.secrets[0]).sort()).toEqual(["name", "updatedAt"]);
    expect(body.secrets[0].name).toBe("npm.token_1-x");
    // Sealed at rest.
    const row = await db.projectSecret.findFirstOrThrow({ where: { projectId: project.id } });
    expect(row.valueCiphertext).not.toContain(PROJECT_VALUE);
    expect(row.valueCiphertext).toMatch(/^v1:/);

    // The variant inherits it until it defines its own of that name.
    const variantView = await callRoute(getVariantSecrets, { url: `/api/variants/${variantId}/secrets`, token: run.token, params: { id: variantId } });
    expect(await variantView.json()).toMatchObject({ secrets: [], inherited: [{ name: "npm.token_1-x" }] });

    for (const name of ["bad name", "x".repeat(65), "", "a/b", "ü"]) {
      const bad = await putSecret("project", project.id, { name, value: "value-that-must-not-be-stored" });
      expect(bad.status, name).toBe(400);
      const error = ((await bad.json()) as { error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } }).error;
      expect(error.code).toBe("VALIDATION");
      expect(error.issues?.map((issue) => issue.path)).toEqual(["name"]);
      expect(error.message).toMatch(/secret name/);
    }
    const tooBig = await putSecret("project", project.id, { name: "big", value: "x".repeat(64 * 1024 + 1) });
    expect(tooBig.status).toBe(400);
    expect(await db.projectSecret.count({ where: { projectId: project.id } })).toBe(1);

    const builderToken = await createToken("BUILDER");
    const viewerToken = await createToken("VIEWER");
    for (const token of [builderToken, viewerToken]) {
      expect((await putSecret("project", project.id, { name: "sneaky", value: "v" }, token)).status).toBe(403);
      expect((await putSecret("variant", variantId, { name: "sneaky", value: "v" }, token)).status).toBe(403);
      expect((await callRoute(getProjectSecrets, { url: `/api/projects/${project.id}/secrets`, token, params: { id: project.id } })).status).toBe(403);
      expect((await callRoute(getVariantSecrets, { url: `/api/variants/${variantId}/secrets`, token, params: { id: variantId } })).status).toBe(403);
    }
    expect(await db.projectSecret.count({ where: { projectId: project.id } })).toBe(1);
    expect(await db.variantSecret.count({ where: { variantId } })).toBe(0);

    const removed = await callRoute(deleteProjectSecrets, {
      method: "DELETE",
      url: `/api/projects/${project.id}/secrets?name=npm.token_1-x`,
      token: run.token,
      params: { id: project.id },
    });
    expect(await removed.json()).toEqual({ secrets: [] });
    const again = await callRoute(deleteProjectSecrets, { method: "DELETE", url: `/api/projects/${project.id}/secrets?name=npm.token_1-x`, token: run.token, params: { id: project.id } });
    expect(again.status).toBe(404);
  }, 60_000);
});

describe("registry credentials through the session", () => {
  const PASSWORD = `h17s-pw-${id}-Xy7!`;
  let registry: TestRegistry;
  let baseRef: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: { username: "ci", password: PASSWORD } });
    baseRef = `${registry.host}/h17s-base-${id}:1`;
    // Straight from the engine's store into the registry: the engine never has a copy under baseRef.
    await execFileP("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", `ci:${PASSWORD}`, `docker-daemon:${BASE_IMAGE}`, `docker://${baseRef}`]);
  }, 240_000);

  afterAll(async () => {
    await docker(["rmi", "-f", baseRef]).catch(() => undefined);
    await registry?.stop();
  });

  it("pulls a private FROM image with the project's registry credentials, and fails without them", async () => {
    expect(await imageExists(baseRef)).toBe(false);
    const dir = writeContext(root, `pull-${id}`, { Dockerfile: [`FROM ${baseRef}`, "RUN echo pulled > /pulled", 'CMD ["cat", "/pulled"]'].join("\n") });

    const anonymous = await createDirectoryProject(`h17s-anon-${id}`, dir, [{ name: "default" }]);
    const refused = await build(anonymous.variants[0].id);
    expect(refused.status).toBe("FAILED");
    expect(refused.error).toMatch(/401|unauthorized|authoriz/i);

    const withCredentials = await createDirectoryProject(`h17s-pull-${id}`, dir, [{ name: "default" }]);
    const put = await callRoute(putRegistryRoute, {
      method: "PUT",
      url: `/api/projects/${withCredentials.id}/registry`,
      token: run.token,
      params: { id: withCredentials.id },
      body: { host: registry.host, repository: `h17s/${id}`, username: "ci", password: PASSWORD },
    });
    expect(put.status).toBe(200);
    const done = await build(withCredentials.variants[0].id, 600_000);
    expect(done.status, `${done.id}: ${done.error}`).toBe("SUCCEEDED");
    expect((await readFileInImage(done.imageTag!, "/pulled")).trim()).toBe("pulled");
    expect(await logOf(done.id)).not.toContain(PASSWORD);
    expect(openSessionCount()).toBe(0);
  }, 900_000);
});
