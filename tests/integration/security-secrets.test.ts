// Issue 14, deliverable 10: build args that are secrets (by name, or marked by the variant)
// never show and are never stored in clear. A real build whose Dockerfile echoes them: the
// stored log says ***, the layer history (which carries RUN's args) says ***, API answers
// (a viewer's, an admin's) and reports (dashboard and share link) show *** for them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getBuildRoute } from "@/app/api/builds/[id]/route";
import { GET as getLogs } from "@/app/api/builds/[id]/logs/route";
import { GET as getBuildReport } from "@/app/api/builds/[id]/report/route";
import { GET as getProjectRoute } from "@/app/api/projects/[id]/route";
import { POST as postVariant } from "@/app/api/projects/[id]/variants/route";
import { POST as postShareLink } from "@/app/api/share-links/route";
import { GET as getSharedReport } from "@/app/r/[token]/report/route";
import { db } from "@/lib/db";
import { startWorker, type WorkerHandle } from "@/lib/builds/worker";
import { BASE_IMAGE, callRoute, createDirectoryProject, createToken, queueBuild, usePipelineRun, waitForBuild, writeContext } from "../support/pipeline";

const run = usePipelineRun("BUILDER");
const { root, id } = run;
// By name (*_TOKEN), by the variant's mark (LICENSE_CODE), and one that is not a secret.
const TOKEN_VALUE = `tok-${id}-s3cr3t`;
const LICENSE_VALUE = `lic-${id}-private`;
const PLAIN_VALUE = `plain-${id}`;
let worker: WorkerHandle;
let viewer: string;
let admin: string;
let buildId: string;
let projectId: string;

const expectMasked = (text: string) => {
  expect(text).not.toContain(TOKEN_VALUE);
  expect(text).not.toContain(LICENSE_VALUE);
};

beforeAll(async () => {
  worker = await startWorker({ concurrency: 1 });
  viewer = await createToken("VIEWER");
  admin = await createToken("ADMIN");
  const dir = writeContext(root, `secrets-${id}`, {
    Dockerfile: [
      `FROM ${BASE_IMAGE}`,
      "ARG API_TOKEN",
      "ARG LICENSE_CODE",
      "ARG APP_ENV",
      `RUN echo "secrets ${id} token=$API_TOKEN license=$LICENSE_CODE env=$APP_ENV"`,
      `CMD ["true"]`,
    ].join("\n"),
  });
  const project = await createDirectoryProject(`secrets-${id}`, dir, [
    { name: "default", buildArgs: { API_TOKEN: TOKEN_VALUE, LICENSE_CODE: LICENSE_VALUE, APP_ENV: PLAIN_VALUE }, secretArgs: ["LICENSE_CODE"], noCache: true },
  ]);
  projectId = project.id;
  buildId = await queueBuild(run.token, project.variants[0].id);
  const build = await waitForBuild(buildId);
  run.images.push(build.imageTag);
  expect(build.status).toBe("SUCCEEDED");
}, 300_000);

afterAll(async () => {
  await worker?.stop({ graceMs: 5_000 });
});

describe("secret build args", () => {
  it("are masked in the stored log lines before they are written", async () => {
    const lines = await db.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" } });
    const echoed = lines.find((line) => line.text.includes(`secrets ${id} token=`) && line.text.includes("env="));
    expect(echoed?.text).toContain(`token=*** license=*** env=${PLAIN_VALUE}`);
    for (const line of lines) expectMasked(line.text);
    const download = await callRoute(getLogs, { url: `/api/builds/${buildId}/logs`, token: viewer, params: { id: buildId } });
    expect(download.status).toBe(200);
    const text = await download.text();
    expect(text).toContain("token=***");
    expectMasked(text);
  });

  it("are masked in the stored layer history, which carries a RUN's args", async () => {
    const layers = await db.layer.findMany({ where: { buildId } });
    const run = layers.find((layer) => layer.createdBy.includes(`secrets ${id}`));
    expect(run?.createdBy).toContain("API_TOKEN=***");
    expect(run?.createdBy).toContain(`APP_ENV=${PLAIN_VALUE}`);
    for (const layer of layers) {
      expectMasked(layer.createdBy);
      expectMasked(layer.instruction);
    }
  });

  it("show as *** in a viewer's (and an admin's) API view of the build and the variant", async () => {
    for (const token of [viewer, admin]) {
      const build = await callRoute(getBuildRoute, { url: `/api/builds/${buildId}`, token, params: { id: buildId } });
      expect(build.status).toBe(200);
      const body = (await build.json()) as { build: { settings: { buildArgs: Record<string, string> } } };
      expect(body.build.settings.buildArgs).toEqual({ API_TOKEN: "***", LICENSE_CODE: "***", APP_ENV: PLAIN_VALUE });
      const project = await callRoute(getProjectRoute, { url: `/api/projects/${projectId}`, token, params: { id: projectId } });
      const projectBody = (await project.json()) as { project: { variants: Array<{ buildArgs: Record<string, string>; secretArgs: string[] }> } };
      expect(projectBody.project.variants[0].buildArgs).toEqual({ API_TOKEN: "***", LICENSE_CODE: "***", APP_ENV: PLAIN_VALUE });
      expect(projectBody.project.variants[0].secretArgs).toEqual(["LICENSE_CODE"]);
      expectMasked(JSON.stringify(body) + JSON.stringify(projectBody));
    }
  });

  it("are masked in the variant an admin creates through the API (the answer too)", async () => {
    const response = await callRoute(postVariant, {
      method: "POST",
      url: `/api/projects/${projectId}/variants`,
      token: admin,
      params: { id: projectId },
      body: { name: "marked", buildArgs: { DEPLOY_KEY: TOKEN_VALUE, SEED: LICENSE_VALUE }, secretArgs: ["SEED"] },
    });
    expect(response.status).toBe(201);
    const { variant } = (await response.json()) as { variant: { id: string; buildArgs: Record<string, string> } };
    expect(variant.buildArgs).toEqual({ DEPLOY_KEY: "***", SEED: "***" });
    // stored as given: the pipeline builds with the real values
    const row = await db.variant.findUniqueOrThrow({ where: { id: variant.id } });
    expect(row.buildArgs).toEqual({ DEPLOY_KEY: TOKEN_VALUE, SEED: LICENSE_VALUE });
  });

  it("are masked in the build's reports, Markdown, JSON and CSV, and in its share link", async () => {
    const share = await callRoute(postShareLink, { method: "POST", url: "/api/share-links", token: run.token, body: { kind: "build", buildId } });
    expect(share.status).toBe(201);
    const { shareLink } = (await share.json()) as { shareLink: { token: string } };
    const stored = await db.shareLink.findFirstOrThrow({ where: { buildId } });
    expectMasked(JSON.stringify(stored.snapshot));
    for (const format of ["md", "json", "csv"]) {
      const report = await callRoute(getBuildReport, { url: `/api/builds/${buildId}/report?format=${format}&rows=layers`, token: viewer, params: { id: buildId } });
      expect(report.status).toBe(200);
      const text = await report.text();
      expectMasked(text);
      const shared = await callRoute(getSharedReport, { url: `/r/${shareLink.token}/report?format=${format}&rows=layers`, params: { token: shareLink.token } });
      expect(shared.status).toBe(200);
      expectMasked(await shared.text());
    }
    // the report does list the RUN layer (so the masking above was tested on it)
    const json = await callRoute(getBuildReport, { url: `/api/builds/${buildId}/report?format=json`, token: viewer, params: { id: buildId } });
    expect(await json.text()).toContain(`secrets ${id} token=`);
  });
});
