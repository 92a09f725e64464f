// Issue 14, attack row 6 for pages: with the production server's Postgres frozen (every process
// of the cluster SIGSTOPped: not down, just silent) pages answer within seconds with a
// "Database unavailable" page instead of hanging (the routes' 503s are security-database's
// integration test). Pages are answered 200: Next.js does not let a server component choose
// the status. Once the database runs again, the same pages work.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { db } from "@/lib/db";
import { EXAMPLE_PROJECT_SLUG } from "@/lib/data/seed";
import { baseUrl, screenshot, signIn, useBrowser } from "../support/browser";

/** LAYERBOARD_PAGE_DB_TIMEOUT_MS (3 s) plus the rendering, with room for a busy machine. */
const BOUND_MS = 10_000;

const clusterProcesses = (postmaster: number): number[] => {
  const pids = [postmaster];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
};

const signal = (pids: number[], name: NodeJS.Signals) => {
  for (const pid of pids)
    try {
      process.kill(pid, name);
    } catch {
      // gone
    }
};

describe("pages while the database is frozen", () => {
  const browser = useBrowser();
  let context: BrowserContext;
  let postmaster: number;
  let stopped: number[] = [];
  let projectPath: string;

  beforeAll(async () => {
    context = await browser().newContext();
    await (await signIn(context)).close();
    const project = await db.project.findUniqueOrThrow({ where: { slug: EXAMPLE_PROJECT_SLUG } });
    projectPath = `/projects/${project.id}`;
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const dataDirectory = (await client.query<{ data_directory: string }>("SHOW data_directory")).rows[0].data_directory;
    await client.end();
    postmaster = Number(fs.readFileSync(path.join(dataDirectory, "postmaster.pid"), "utf8").split("\n")[0]);
  });

  afterAll(async () => {
    signal(stopped, "SIGCONT");
    await context?.close();
  });

  it("show a 'Database unavailable' page within seconds, then the pages again once it runs", async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl()}${projectPath}`);
    expect(await page.getByText("Database unavailable").count()).toBe(0);

    stopped = clusterProcesses(postmaster);
    expect(stopped.length).toBeGreaterThan(1);
    signal(stopped, "SIGSTOP");
    // The probe keeps a good answer 1 s (lib/data/database-probe.ts): a page opened within that second
    // of the last good ping passes it and waits for its own queries' timeouts. Let it expire first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    try {
      for (const target of ["/", projectPath, "/builds/nonexistent-build"]) {
        const started = Date.now();
        await page.goto(`${baseUrl()}${target}`, { timeout: BOUND_MS * 2 });
        await page.getByRole("heading", { name: "Database unavailable" }).waitFor({ timeout: BOUND_MS });
        const ms = Date.now() - started;
        console.info(`${target}: "Database unavailable" after ${ms} ms`);
        expect(ms, target).toBeLessThan(BOUND_MS);
      }
      expect(await page.title()).toContain("Database unavailable");
      await screenshot(page, "database-unavailable");

      // Without a session too: the sign-in page and a share link.
      for (const target of ["/login", "/r/lbr_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"]) {
        const started = Date.now();
        const response = await fetch(`${baseUrl()}${target}`, { signal: AbortSignal.timeout(BOUND_MS * 2) });
        const html = await response.text();
        expect(Date.now() - started, target).toBeLessThan(BOUND_MS);
        expect(html, target).toContain("Database unavailable");
      }
    } finally {
      signal(stopped, "SIGCONT");
      stopped = [];
    }

    // Running again: the same page renders its project (a failed probe is remembered for 5 s;
    // queries the freeze held finish first).
    const deadline = Date.now() + 30_000;
    let unavailable = 1;
    while (unavailable && Date.now() < deadline) {
      await page.waitForTimeout(2000);
      await page.goto(`${baseUrl()}${projectPath}`, { timeout: 60_000 });
      unavailable = await page.getByText("Database unavailable").count();
    }
    expect(unavailable).toBe(0);
    expect(await page.title()).not.toContain("Database unavailable");
    await page.close();
  }, 180_000);
});
