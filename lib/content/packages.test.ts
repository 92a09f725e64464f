import { describe, expect, test } from "vitest";
import { findPackages, packageKey, UNOWNED_OTHER } from "@/lib/content/packages";
import type { FinalFilesystem } from "@/lib/content/types";
import { capturedDatabases, capturedEntries, file, finalFs, symlink, dir } from "@/lib/content/__fixtures__/final-fs";

const regularBytes = (fs: FinalFilesystem) => [...fs.entries.values()].filter((e) => e.kind === "file").reduce((sum, e) => sum + e.size, 0);
const sumOwnership = (result: ReturnType<typeof findPackages>) =>
  result.packages.reduce((sum, p) => sum + p.bytes, 0) + result.unowned.reduce((sum, g) => sum + g.bytes, 0);

// The multi-stage example image as captured (capture.sh): base in layer 0, the python3 apt layer 1, the venv COPY layer 2.
const multiStage = () =>
  finalFs(
    capturedEntries((p) => (p.startsWith("/opt/venv") ? 2 : /python3|libexpat|media-types|mime/.test(p) ? 1 : 0)),
    capturedDatabases({ dpkg: 1, venv: 2 }),
  );

describe("findPackages on the captured multi-stage image", () => {
  test("Debian packages get the exact bytes of their listed files, through the merged-/usr symlinks", () => {
    const result = findPackages(multiStage());
    const deb = Object.fromEntries(result.packages.filter((p) => p.ecosystem === "deb").map((p) => [p.name, [p.version, p.bytes, p.files, p.layer]]));
    // Expected figures computed apart with awk over listing.tsv and the .list files (/lib/… read as /usr/lib/…).
    expect(deb).toEqual({
      libexpat1: ["2.5.0-1+deb12u2", 373_266, 6, 1],
      "libpython3.11-minimal": [expect.any(String), 5_152_643, 281, 1],
      "python3.11-minimal": [expect.any(String), 6_902_378, 8, 1],
      zlib1g: [expect.any(String), 154_342, 4, 1],
      "media-types": [expect.any(String), 81_035, 4, 1],
    });
    expect(result.ownerOf("/usr/lib/x86_64-linux-gnu/libexpat.so.1.8.10")).toBe("deb:libexpat1");
    // The path as dpkg names it resolves to the same owner.
    expect(result.ownerOf("/lib/x86_64-linux-gnu/libexpat.so.1.8.10")).toBe("deb:libexpat1");
    expect(result.ownerOf("/usr/lib/x86_64-linux-gnu/libexpat.so.1")).toBe("deb:libexpat1"); // the symlink dpkg ships
    expect(result.ownerOf("/usr/lib/x86_64-linux-gnu/libc.so.6")).toBeUndefined();
  });

  test("Python distributions of a venv: RECORD paths relative to site-packages, ../../../bin forms, METADATA name", () => {
    const result = findPackages(multiStage());
    const python = result.packages.filter((p) => p.ecosystem === "python");
    // Expected figures computed apart with Python's csv module over the RECORD files and listing.tsv.
    expect(python.map((p) => [p.name, p.version, p.bytes, p.files, p.layer, p.location])).toEqual([
      ["pip", "23.0.1", 13_320_513, 996, 2, "/opt/venv/lib/python3.11/site-packages"],
      ["wheel", "0.38.4", 232_669, 43, 2, "/opt/venv/lib/python3.11/site-packages"],
      ["layerdemo", "0.1.0", 29_199, 13, 2, "/opt/venv/lib/python3.11/site-packages"],
    ]);
    expect(result.ownerOf("/opt/venv/bin/pip3")).toBe("python:pip");
  });

  test("package bytes + unowned bytes = the filesystem's regular-file bytes; unowned grouped largest first", () => {
    const fs = multiStage();
    const result = findPackages(fs);
    expect(sumOwnership(result)).toBe(regularBytes(fs));
    expect(regularBytes(fs)).toBe(37_599_468);
    const bytes = result.unowned.map((g) => g.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
    // libc6's list was not captured: its files are unowned, grouped three levels deep.
    expect(result.unowned.map((g) => g.directory)).toContain("/usr/lib/x86_64-linux-gnu");
    expect(result.packages.map((p) => p.bytes)).toEqual([...result.packages.map((p) => p.bytes)].sort((a, b) => b - a));
  });
});

describe("findPackages rules", () => {
  test("only installed paragraphs count; Multi-Arch lists found under pkg:arch; missing files and directories skipped", () => {
    const status = [
      "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n",
      "Package: tool\nStatus: install ok installed\nVersion: 2.0\nArchitecture: amd64\nMulti-Arch: same\n",
      "Package: data\nStatus: hold ok installed\nVersion: 3\nArchitecture: all\n",
    ].join("\n");
    const fs = finalFs(
      [dir("/usr"), dir("/usr/bin"), file("/usr/bin/tool", 100, 1), file("/usr/share/data/a", 7, 1), file("/etc/gone.conf", 5), file("/srv/x", 11)],
      {
        "/var/lib/dpkg/status": { content: status, layer: 1 },
        "/var/lib/dpkg/info/tool:amd64.list": { content: "/.\n/usr\n/usr/bin\n/usr/bin/tool\n/usr/bin/tool-removed-later\n", layer: 1 },
        "/var/lib/dpkg/info/data.list": { content: "/usr/share/data\n/usr/share/data/a\n", layer: 1 },
        "/var/lib/dpkg/info/gone.list": { content: "/etc/gone.conf\n" },
      },
    );
    const result = findPackages(fs);
    expect(result.packages.map((p) => [p.name, p.version, p.bytes, p.files])).toEqual([
      ["tool", "2.0", 100, 1],
      ["data", "3", 7, 1],
    ]);
    expect(result.unowned).toEqual([
      { directory: "/srv", bytes: 11, files: 1 },
      { directory: "/etc", bytes: 5, files: 1 },
    ]);
  });

  test("one name installed for two architectures is qualified; a path claimed twice counts once, system package first", () => {
    const status =
      "Package: libfoo\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nMulti-Arch: same\n\n" +
      "Package: libfoo\nStatus: install ok installed\nVersion: 1\nArchitecture: i386\nMulti-Arch: same\n\n" +
      "Package: python3-six\nStatus: install ok installed\nVersion: 1.16\nArchitecture: all\n";
    const site = "/usr/lib/python3/dist-packages";
    const fs = finalFs(
      [file("/usr/lib/x86_64-linux-gnu/libfoo.so", 10), file("/usr/lib/i386-linux-gnu/libfoo.so", 20), file(`${site}/six.py`, 30), file(`${site}/six-1.16.0.dist-info/RECORD`, 40)],
      {
        "/var/lib/dpkg/status": { content: status },
        "/var/lib/dpkg/info/libfoo:amd64.list": { content: "/usr/lib/x86_64-linux-gnu/libfoo.so\n" },
        "/var/lib/dpkg/info/libfoo:i386.list": { content: "/usr/lib/i386-linux-gnu/libfoo.so\n" },
        "/var/lib/dpkg/info/python3-six.list": { content: `${site}/six.py\n` },
        [`${site}/six-1.16.0.dist-info/RECORD`]: { content: "six.py,sha256=x,30\nsix-1.16.0.dist-info/RECORD,,\n" },
      },
    );
    const result = findPackages(fs);
    expect(result.packages.map((p) => `${packageKey(p)}=${p.bytes}`).sort()).toEqual([
      "deb:libfoo:amd64=10",
      "deb:libfoo:i386=20",
      "deb:python3-six=30",
      "python:six=40",
    ]);
    expect(result.ownerOf(`${site}/six.py`)).toBe("deb:python3-six");
    expect(sumOwnership(result)).toBe(regularBytes(fs));
  });

  test("distroless status.d paragraphs with md5sums lists", () => {
    const fs = finalFs([file("/usr/lib/os-release", 300), file("/etc/debian_version", 5)], {
      "/var/lib/dpkg/status.d/base-files": { content: "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n", layer: 0 },
      "/var/lib/dpkg/status.d/base-files.md5sums": { content: "0123abcd  usr/lib/os-release\n4567ef01  etc/debian_version\n" },
    });
    expect(findPackages(fs).packages).toEqual([{ ecosystem: "deb", name: "base-files", version: "12.4+deb12u5", layer: 0, bytes: 305, files: 2 }]);
  });

  test("Alpine's installed database: P/V names, F directories with their R files, layer of the lowest file", () => {
    // Hand-made in the format of /lib/apk/db/installed (apk-tools 2).
    const db = [
      "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nF:lib\nR:ld-musl-x86_64.so.1\na:0:0:755\nR:libc.musl-x86_64.so.1\nF:usr/lib\nR:libc.so\n",
      "C:Q1def=\nP:busybox\nV:1.36.1-r5\nF:bin\nR:busybox\n",
    ].join("\n");
    const fs = finalFs(
      [file("/lib/ld-musl-x86_64.so.1", 600_000, 0), symlink("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"), file("/usr/lib/libc.so", 50, 2), file("/bin/busybox", 900_000, 1)],
      { "/lib/apk/db/installed": { content: db, layer: 2 } },
    );
    const result = findPackages(fs);
    expect(result.packages).toEqual([
      { ecosystem: "apk", name: "busybox", version: "1.36.1-r5", layer: 1, bytes: 900_000, files: 1 },
      { ecosystem: "apk", name: "musl", version: "1.2.4-r2", layer: 0, bytes: 600_050, files: 2 },
    ]);
    expect(result.ownerOf("/bin/busybox")).toBe("apk:busybox");
  });

  test("RECORD: quoted paths with commas, a name from the directory when METADATA is absent", () => {
    const site = "/app/.venv/lib/python3.12/site-packages";
    const fs = finalFs([file(`${site}/odd,name.txt`, 3), file(`${site}/x/__init__.py`, 4)], {
      [`${site}/my_pkg-1.2.3.dist-info/RECORD`]: { content: '"odd,name.txt",sha256=a,3\nx/__init__.py,sha256=b,4\n', layer: 3 },
    });
    expect(findPackages(fs).packages).toEqual([{ ecosystem: "python", name: "my_pkg", version: "1.2.3", layer: 3, location: site, bytes: 7, files: 2 }]);
  });

  test("beyond the group cap, the smallest unowned groups fold into one and the sum still holds", () => {
    const entries = Array.from({ length: 520 }, (_, i) => file(`/data/d${i}/sub/f`, i + 1));
    const fs = finalFs(entries);
    const result = findPackages(fs);
    expect(result.unowned).toHaveLength(501);
    expect(result.unowned.at(-1)).toEqual({ directory: UNOWNED_OTHER, bytes: (1 + 20) * 10, files: 20 });
    expect(sumOwnership(result)).toBe(regularBytes(fs));
  });
});
