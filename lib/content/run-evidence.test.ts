import { describe, expect, test } from "vitest";
import { findPackages } from "@/lib/content/packages";
import { findRunEvidence, providedByImage, RUN_EVIDENCE_MAX_FINDINGS_PER_KIND } from "@/lib/content/run-evidence";
import type { ElfInfo, FinalEntry, ImageRuntimeConfig } from "@/lib/content/types";
import { capturedDatabases, capturedEntries, file, finalFs, pythonElf, symlink } from "@/lib/content/__fixtures__/final-fs";

const PYTHON_PACKAGES = /python3|libexpat|media-types|mime/;
const VENV_LAYER = 2;
const layerOf = (p: string) => (p.startsWith("/opt/venv") ? VENV_LAYER : PYTHON_PACKAGES.test(p) ? 1 : 0);
const config = (extra: Partial<ImageRuntimeConfig> = {}): ImageRuntimeConfig => ({
  env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  entrypoint: null,
  cmd: ["/opt/venv/bin/python", "-m", "layerdemo"],
  workingDir: "",
  user: "",
  ...extra,
});

// The multi-stage image as captured, and the two broken final stages built from it: no Python
// packages installed (the base only), the venv copied in as it is (symlinks) or with --copies.
const multiStage = () => finalFs(capturedEntries(layerOf), capturedDatabases({ dpkg: 1, venv: VENV_LAYER }));
const withoutPython = (entries: FinalEntry[]) => entries.filter((e) => !(PYTHON_PACKAGES.test(e.path) && !e.path.startsWith("/opt/venv")));
const symlinkedVenv = () => finalFs(withoutPython(capturedEntries(layerOf)));
const copiesVenv = () => {
  const interpreter = ["/opt/venv/bin/python", "/opt/venv/bin/python3", "/opt/venv/bin/python3.11"];
  const entries = withoutPython(capturedEntries(layerOf)).filter((e) => !interpreter.includes(e.path));
  return finalFs([...entries, ...interpreter.map((p) => file(p, 6_831_736, VENV_LAYER, { elf: pythonElf() }))]);
};

describe("findRunEvidence", () => {
  test("the --copies venv without Python: every copied interpreter needs libexpat.so.1, named with the build stage's package", () => {
    const stage = multiStage();
    const findings = findRunEvidence(copiesVenv(), config(), {
      firstOwnLayer: 1,
      providedBy: providedByImage(stage, findPackages(stage)),
    });
    const missing = findings.filter((f) => f.kind === "missing-library");
    expect(missing.map((f) => [f.evidence.path, f.evidence.missing, f.evidence.layer, f.evidence.providedBy])).toEqual([
      ["/opt/venv/bin/python", "libexpat.so.1", VENV_LAYER, "deb:libexpat1"],
      ["/opt/venv/bin/python3", "libexpat.so.1", VENV_LAYER, "deb:libexpat1"],
      ["/opt/venv/bin/python3.11", "libexpat.so.1", VENV_LAYER, "deb:libexpat1"],
    ]);
    expect(missing[0]).toMatchObject({ severity: "high", title: "/opt/venv/bin/python needs libexpat.so.1, which the image lacks" });
    // libc, libm and libz are in the base: no finding; the interpreter resolves through /lib64 -> usr/lib64.
    expect(findings.map((f) => f.kind)).not.toContain("missing-interpreter");
    expect(findings.map((f) => f.kind)).not.toContain("entrypoint-not-found");
  });

  test("the same interpreter in the multi-stage image (python3 installed) has everything it needs", () => {
    const image = multiStage();
    const withCopy = finalFs([...image.entries.values(), file("/opt/venv/bin/python-copy", 6_831_736, VENV_LAYER, { elf: pythonElf() })], {});
    expect(findRunEvidence(withCopy, config(), { firstOwnLayer: 1 })).toEqual([]);
  });

  test("the symlinked venv copied without Python: dangling symlinks down to /usr/bin/python3, and the CMD cannot start", () => {
    const findings = findRunEvidence(symlinkedVenv(), config(), { firstOwnLayer: 1 });
    expect(findings.map((f) => [f.kind, f.evidence.path, f.evidence.missing, f.evidence.layer])).toEqual([
      ["entrypoint-not-found", "/opt/venv/bin/python", "/usr/bin/python3", VENV_LAYER],
      ["dangling-symlink", "/opt/venv/bin/python", "/usr/bin/python3", VENV_LAYER],
      ["dangling-symlink", "/opt/venv/bin/python3", "/usr/bin/python3", VENV_LAYER],
      ["dangling-symlink", "/opt/venv/bin/python3.11", "/usr/bin/python3", VENV_LAYER],
    ]);
    expect(findings[2].title).toBe("/opt/venv/bin/python3 -> /usr/bin/python3 points to /usr/bin/python3, which the image lacks");
    expect(findings[1].title).toBe(
      "/opt/venv/bin/python -> python3 points to /usr/bin/python3, which the image lacks (through /opt/venv/bin/python3)",
    );
  });

  test("only own layers are examined; relative, absolute and chained links that resolve are fine; loops are reported", () => {
    const image = finalFs([
      file("/usr/bin/real", 10, 0),
      symlink("/usr/bin/base-dangling", "/nowhere", 0),
      symlink("/usr/local/bin/rel", "../../bin/real", 1),
      symlink("/usr/local/bin/abs", "/usr/bin/real", 1),
      symlink("/usr/local/bin/chain", "rel", 1),
      symlink("/usr/local/bin/via-dir", "/usr/local/bin/dirlink/real", 1),
      symlink("/usr/local/bin/dirlink", "../../bin", 1),
      // Mounted by the engine at run time (seen in the debootstrap base: /dev/fd -> /proc/self/fd).
      symlink("/dev/fd", "/proc/self/fd", 1),
      symlink("/etc/mtab", "../proc/self/mounts", 1),
      symlink("/etc/resolv.conf", "/run/systemd/resolve/stub-resolv.conf", 1),
      symlink("/loop/a", "b", 1),
      symlink("/loop/b", "a", 1),
    ]);
    const findings = findRunEvidence(image, config({ cmd: null }), { firstOwnLayer: 1 });
    expect(findings.map((f) => [f.evidence.path, f.title])).toEqual([
      ["/loop/a", "/loop/a -> b is a symlink loop"],
      ["/loop/b", "/loop/b -> a is a symlink loop"],
    ]);
  });

  test("entrypoint: PATH from Env, absolute paths directly, shell form checks /bin/sh, the x bit counts", () => {
    const image = finalFs([file("/usr/bin/app", 10, 1), file("/srv/run.sh", 10, 1, { mode: 0o100644 }), symlink("/bin", "usr/bin")]);
    const judge = (extra: Partial<ImageRuntimeConfig>) =>
      findRunEvidence(image, config(extra), { firstOwnLayer: 1 }).map((f) => [f.evidence.path, f.evidence.missing, f.title]);
    expect(judge({ cmd: ["app", "--serve"] })).toEqual([]);
    expect(judge({ entrypoint: ["/bin/app"], cmd: ["x"] })).toEqual([]);
    expect(judge({ env: ["PATH=/opt/bin"], cmd: ["app"] })).toEqual([["app", "app", "The command app is not on the image's PATH (/opt/bin)"]]);
    expect(judge({ cmd: ["/bin/sh", "-c", "app --serve"] })).toEqual([["/bin/sh", "/usr/bin/sh", "The command /bin/sh does not exist in the image (/usr/bin/sh is missing)"]]);
    expect(judge({ entrypoint: ["/srv/run.sh"], cmd: null })).toEqual([["/srv/run.sh", "/srv/run.sh", "The command /srv/run.sh is not executable (no x bit on /srv/run.sh)"]]);
    expect(judge({ workingDir: "/srv", cmd: ["./missing"] })).toEqual([["/srv/missing", "/srv/missing", "The command ./missing does not exist in the image"]]);
    // No PATH in Env: Docker's default applies.
    expect(judge({ env: [], cmd: ["app"] })).toEqual([]);
  });

  test("a missing interpreter and a library of the image's own layers missing a dependency: reported once, on that library", () => {
    const exe: ElfInfo = { bits: 64, machine: 62, type: "EXEC", interpreter: "/lib/ld-musl-x86_64.so.1", needed: ["libown.so"], rpath: [], runpath: [], soname: null };
    const own: ElfInfo = { ...exe, type: "DYN", interpreter: null, needed: ["libgone.so"], soname: "libown.so" };
    const image = finalFs([file("/app/exe", 10, 1, { elf: exe }), file("/usr/lib/libown.so", 10, 1, { elf: own })]);
    const findings = findRunEvidence(image, config({ cmd: ["/app/exe"] }), { firstOwnLayer: 1 });
    expect(findings.map((f) => [f.kind, f.evidence.path, f.evidence.missing])).toEqual([
      ["missing-interpreter", "/app/exe", "/lib/ld-musl-x86_64.so.1"],
      ["missing-library", "/usr/lib/libown.so", "libgone.so"],
    ]);
  });

  test("findings per kind are capped, the last one says how many more", () => {
    const links = Array.from({ length: RUN_EVIDENCE_MAX_FINDINGS_PER_KIND + 5 }, (_, i) => symlink(`/d/l${String(i).padStart(4, "0")}`, "/gone", 1));
    const findings = findRunEvidence(finalFs(links), config({ cmd: null }), { firstOwnLayer: 1 });
    expect(findings).toHaveLength(RUN_EVIDENCE_MAX_FINDINGS_PER_KIND);
    expect(findings.at(-1)?.title).toContain("(and 5 more dangling-symlink findings not shown)");
  });
});
