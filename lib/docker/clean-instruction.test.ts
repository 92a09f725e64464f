import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { cleanInstruction } from "@/lib/docker/clean-instruction";

type Fixture = {
  builder: "buildkit" | "classic";
  history: Array<{ CreatedBy: string; Comment: string; Size: number }>;
  configHistory: Array<{ created_by?: string; empty_layer?: boolean }>;
};

const readFixture = (name: string): Fixture =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "__fixtures__", `history-${name}.json`), "utf8")) as Fixture;

// Instructions expected for each captured history, newest first like `/images/{id}/history`.
const expected: Record<string, string[]> = {
  "multi-buildkit": [
    'CMD ["cat /app/hello.txt"]',
    'ENTRYPOINT ["/bin/sh" "-c"]',
    "HEALTHCHECK CMD true",
    "USER nobody",
    "LABEL org.example.variant=multi",
    "EXPOSE 8080/tcp 9090/tcp",
    "RUN echo cached-mount > /app/cm.txt",
    "RUN echo hello > /app/hello.txt && dd if=/dev/zero of=/app/blob bs=1k count=64",
    "ADD app/main.py /app/main2.py",
    "COPY . /ctx",
    "COPY /out /app",
    "WORKDIR /app",
    "ENV APP_HOME=/app LANG=C.UTF-8",
    "ARG APP_VERSION=1",
    "base image (imported)",
  ],
  "multi-classic": [
    'CMD ["cat /app/hello.txt"]',
    'ENTRYPOINT ["/bin/sh" "-c"]',
    "HEALTHCHECK CMD true",
    "USER nobody",
    "LABEL org.example.variant=multi",
    "EXPOSE 8080/tcp 9090",
    "RUN echo hello > /app/hello.txt && dd if=/dev/zero of=/app/blob bs=1k count=64",
    "ADD file:8a81bcda6ba1 in /app/main2.py",
    "COPY dir:f6127a9f3046 in /ctx",
    "COPY dir:d457d0ee68b9 in /app",
    "WORKDIR /app",
    "ENV APP_HOME=/app LANG=C.UTF-8",
    "ARG APP_VERSION=1",
    "base image (imported)",
  ],
  "forms-buildkit": [
    'CMD ["/bin/bash" "-o" "pipefail" "-c" "python3 -m app"]',
    'HEALTHCHECK CMD ["true"]',
    "STOPSIGNAL SIGTERM",
    "VOLUME [/data]",
    "WORKDIR /opt",
    "COPY app/main.py Dockerfile.single /opt/",
    'RUN echo "with bash" | cat',
    "SHELL [/bin/bash -o pipefail -c]",
    // Exec form with a build arg whose value has a space (`EXTRA="a b"`): the engine writes
    // `|2 PY_VERSION=3.11 EXTRA=a b /bin/echo exec form`, which cannot be split exactly.
    "RUN b /bin/echo exec form",
    "RUN apt-get update && apt-get install -y --no-install-recommends make     && rm -rf /var/lib/apt/lists/*",
    "ARG EXTRA=a b",
    "ARG PY_VERSION=3.11",
    "base image (imported)",
  ],
  "forms-classic": [
    'CMD ["/bin/bash" "-o" "pipefail" "-c" "python3 -m app"]',
    'HEALTHCHECK CMD ["true"]',
    "ONBUILD RUN echo onbuild",
    "STOPSIGNAL SIGTERM",
    "VOLUME [/data]",
    "WORKDIR /opt",
    "COPY --chown=1000:1000 multi:96ab6045dc69 in /opt/",
    'RUN echo "with bash" | cat',
    "SHELL [/bin/bash -o pipefail -c]",
    "RUN /bin/echo exec form",
    "RUN apt-get update && apt-get install -y --no-install-recommends make     && rm -rf /var/lib/apt/lists/*",
    "ARG EXTRA=a b",
    "ARG PY_VERSION=3.11",
    "base image (imported)",
  ],
  "scratch-buildkit": ['CMD ["/bin/true"]', "ADD rootfs.tar /"],
  "scratch-classic": ['CMD ["/bin/true"]', "ADD file:9302a0aa5362 in /"],
};

describe("cleanInstruction on captured engine history", () => {
  test.each(Object.keys(expected))("history-%s.json", (name) => {
    const fixture = readFixture(name);
    expect(fixture.history.map((entry) => cleanInstruction(entry.CreatedBy, entry.Comment))).toEqual(expected[name]);
  });

  test("the captured API history and config history line up one to one", () => {
    const names = fs
      .readdirSync(path.join(__dirname, "__fixtures__"))
      .filter((file) => /^history-.+\.json$/.test(file))
      .map((file) => file.replace(/^history-|\.json$/g, ""));
    expect(names.length).toBeGreaterThanOrEqual(Object.keys(expected).length);
    for (const name of names) {
      const fixture = readFixture(name);
      const oldestFirst = [...fixture.history].reverse();
      expect(oldestFirst.map((entry) => entry.CreatedBy)).toEqual(fixture.configHistory.map((entry) => entry.created_by ?? ""));
    }
  });
});

describe("cleanInstruction forms", () => {
  test.each([
    ["/bin/sh -c #(nop)  CMD [\"bash\"]", 'CMD ["bash"]'],
    ["/bin/sh -c #(nop) ADD file:9302a0aa5362b9f7c47ed33d4546691d2e2f6d59dd58f1395b35e0c4b912fced in / ", "ADD file:9302a0aa5362 in /"],
    ["/bin/sh -c apt-get update", "RUN apt-get update"],
    ["RUN /bin/sh -c apt-get install -y gcc # buildkit", "RUN apt-get install -y gcc"],
    ["|1 BASE_IMAGE=layerboard/bookworm-base:local /bin/sh -c pip install .", "RUN pip install ."],
    ["RUN |1 BASE_IMAGE=x /bin/sh -c pip install . # buildkit", "RUN pip install ."],
    ["|2 A=1 B=2 /usr/bin/python3 -m venv /venv", "RUN /usr/bin/python3 -m venv /venv"],
    ["RUN /bin/bash -eux -o pipefail -c make # buildkit", "RUN make"],
    ["HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}", "HEALTHCHECK NONE"],
    ["EXPOSE map[]", "EXPOSE"],
    ["  /bin/sh -c   echo spaced   ", "RUN echo spaced"],
    ["", ""],
  ])("%j → %j", (createdBy, instruction) => {
    expect(cleanInstruction(createdBy)).toBe(instruction);
  });

  test("an empty created_by falls back to the comment; docker import's reads as an imported base image", () => {
    expect(cleanInstruction("", "Imported from -")).toBe("base image (imported)");
    expect(cleanInstruction("", "Imported from https://example.test/rootfs.tar")).toBe("base image (imported)");
    expect(cleanInstruction("", "a comment")).toBe("a comment");
  });
});
