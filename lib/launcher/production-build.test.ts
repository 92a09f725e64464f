import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findRebuildReason, fingerprintSources, writeBuildStamp } from "./production-build";

describe("production build freshness", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  // What `next build` leaves behind, then the launcher's stamp.
  const build = (buildId = "build-1") => {
    write(".next/BUILD_ID", buildId);
    writeBuildStamp(root, fingerprintSources(root));
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "layerboard-build-"));
    write("app/page.tsx", "export default () => null;\n");
    write("lib/util.ts", "export const one = 1;\n");
    write("package-lock.json", "{}\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("asks for a build when there is none, and not again for the same sources", () => {
    expect(findRebuildReason(root)).toBe("no production build yet");
    build();
    expect(findRebuildReason(root)).toBeNull();
  });

  it("rebuilds when a source is touched, edited, added or removed", () => {
    build();
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, "app/page.tsx"), later, later);
    expect(findRebuildReason(root)).toBe("sources changed since the last build");
    build();
    write("components/new.tsx", "export const New = () => null;\n");
    expect(findRebuildReason(root)).toBe("sources changed since the last build");
    build();
    rmSync(path.join(root, "components/new.tsx"));
    expect(findRebuildReason(root)).toBe("sources changed since the last build");
    build();
    write("package-lock.json", '{"lockfileVersion":3}\n');
    expect(findRebuildReason(root)).toBe("sources changed since the last build");
  });

  it("ignores tests and generated code", () => {
    build();
    write("lib/util.test.ts", "// a test\n");
    write("lib/generated/prisma/client.ts", "// regenerated\n");
    write("tests/e2e/x.test.ts", "// outside the inputs\n");
    expect(findRebuildReason(root)).toBeNull();
  });

  it("does not trust a build it did not stamp", () => {
    build("build-1");
    write(".next/BUILD_ID", "build-2");
    expect(findRebuildReason(root)).toBe("the build in .next was not made by the launcher");
    rmSync(path.join(root, ".next/layerboard-build.json"));
    expect(findRebuildReason(root)).toBe("the build in .next was not made by the launcher");
  });
});
