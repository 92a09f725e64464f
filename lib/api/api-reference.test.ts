// docs/api.md lists exactly the route handlers on disk: every route.ts under app/ and each HTTP
// method it exports, no more, no fewer. Reads the files (no server, no imports of the routes).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const APP_DIR = path.join(ROOT, "app");
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;

const findRouteFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return /^route\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
  });

// app/api/builds/[id]/content/diff/[otherId]/route.ts → /api/builds/:id/content/diff/:otherId
// (route groups and parallel-route slots are not in the URL; [...rest] → :rest*).
const urlPathOf = (file: string): string =>
  "/" +
  path
    .relative(APP_DIR, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith("@"))
    .map((segment) => {
      const dynamic = /^\[\[?(\.\.\.)?([^\]]+)\]\]?$/.exec(segment);
      return dynamic ? `:${dynamic[2]}${dynamic[1] ? "*" : ""}` : segment;
    })
    .join("/");

// The methods a route module exports, from its source text: `export const GET`, `export async
// function POST`, `export { handler as PATCH }`.
const exportedMethods = (source: string): string[] => {
  const named = [...source.matchAll(/^export\s+(?:const|let|(?:async\s+)?function)\s+([A-Z]+)\b/gm)].map((m) => m[1]);
  const listed = [...source.matchAll(/^export\s*\{([^}]*)\}/gm)].flatMap((m) => m[1].split(",").map((name) => name.trim().split(/\s+as\s+/).at(-1)!));
  return METHODS.filter((method) => named.includes(method) || listed.includes(method));
};

// Rows of the reference's tables: | METHOD | `/path` | …
const documentedRoutes = (markdown: string): string[] =>
  [...markdown.matchAll(/^\|\s*(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|/gm)].map((m) => `${m[1]} ${m[2]}`);

const onDisk = findRouteFiles(APP_DIR)
  .flatMap((file) => exportedMethods(readFileSync(file, "utf8")).map((method) => `${method} ${urlPathOf(file)}`))
  .sort();
const documented = documentedRoutes(readFileSync(path.join(ROOT, "docs/api.md"), "utf8"));

describe("docs/api.md, the API reference", () => {
  it("reads the route handlers on disk (the walk finds the routes it must)", () => {
    expect(onDisk.length).toBeGreaterThanOrEqual(40);
    expect(onDisk).toContain("GET /api/projects/:id");
    expect(onDisk).toContain("GET /api/builds/:id/content/diff/:otherId");
    expect(onDisk).toContain("GET /r/:token/report");
  });

  it("lists no route or method that does not exist", () => {
    expect(documented.filter((row) => !onDisk.includes(row))).toEqual([]);
  });

  it("misses no route or method that exists", () => {
    expect(onDisk.filter((row) => !documented.includes(row))).toEqual([]);
  });

  it("lists each route and method once", () => {
    expect(documented.filter((row, index) => documented.indexOf(row) !== index)).toEqual([]);
  });

  it("maps files to URLs and reads exported methods the way Next.js does", () => {
    expect(urlPathOf(path.join(APP_DIR, "(dashboard)/x/[id]/[...rest]/route.ts"))).toBe("/x/:id/:rest*");
    expect(exportedMethods("export const GET = a;\nexport async function POST() {}\nexport { h as PATCH, other };\nconst DELETE = 1;")).toEqual(["GET", "POST", "PATCH"]);
    expect(documentedRoutes("| GET | `/api/a` | viewer |\n| method | path |\n|---|---|\n| DELETE | `/api/a/:id` | admin |")).toEqual(["GET /api/a", "DELETE /api/a/:id"]);
  });
});
