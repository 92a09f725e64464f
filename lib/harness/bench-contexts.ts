// Synthetic build contexts for the benchmarks: the ~300-file app context (with a .dockerignore'd
// folder and *.log files) and a large context of many small files plus a few large ones.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export const appDockerfile = (baseImage: string) => `ARG BASE_IMAGE=${baseImage}
FROM \${BASE_IMAGE}
WORKDIR /app
COPY src/ ./src/
RUN find /app/src -type f | wc -l > /app/file-count && du -sk /app/src > /app/src-size
COPY config.txt ./config.txt
RUN test ! -e /app/ignored && echo "built $(cat /app/file-count) files" > /app/marker
ENV BENCH=1
CMD ["cat", "/app/marker"]
`;

/** 300 source files in 12 folders, 12 *.log and a 10 MiB ignored/ folder; tar excludes that match its .dockerignore. */
export const writeAppContext = async (dir: string, baseImage: string) => {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "Dockerfile"), appDockerfile(baseImage));
  await fs.writeFile(path.join(dir, ".dockerignore"), "ignored/\n**/*.log\n");
  await fs.writeFile(path.join(dir, "config.txt"), "answer = 42\n");
  let files = 0;
  for (let d = 0; d < 12; d += 1) {
    const sub = path.join(dir, "src", `module${d}`);
    await fs.mkdir(sub, { recursive: true });
    for (let f = 0; f < 25; f += 1) {
      // Deterministic content so that the classic builder's COPY cache holds across rounds.
      await fs.writeFile(path.join(sub, `file${f}.py`), `# module ${d} file ${f}\n${"x = 1\n".repeat(200 + f * 10)}`);
      files += 1;
    }
    await fs.writeFile(path.join(sub, "debug.log"), "ignored by **/*.log\n".repeat(100));
  }
  const ignored = path.join(dir, "ignored");
  await fs.mkdir(ignored, { recursive: true });
  for (let f = 0; f < 40; f += 1) await fs.writeFile(path.join(ignored, `blob${f}.bin`), randomBytes(256 * 1024));
  return { files, entries: files + 3, ignoredBytes: 40 * 256 * 1024, tarExcludes: ["--exclude=./ignored", "--exclude=*.log"] };
};

/**
 * About `megabytes` MiB: `smallFiles` files of 1–8 KiB in folders of 100 (about 4.5 KiB each on
 * average) and the rest in large files of at most 256 MiB. Written from one random buffer, so
 * writing 1 GB takes seconds.
 */
export const writeLargeContext = async (dir: string, megabytes: number, smallFiles = 20_000) => {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY . /data\n");
  const pool = randomBytes(1024 * 1024);
  let smallBytes = 0;
  for (let f = 0; f < smallFiles; f += 1) {
    const folder = path.join(dir, "small", `d${Math.floor(f / 100)}`);
    if (f % 100 === 0) await fs.mkdir(folder, { recursive: true });
    const size = 1024 + ((f * 7919) % (7 * 1024));
    await fs.writeFile(path.join(folder, `f${f}.txt`), pool.subarray(f % 1024, (f % 1024) + size));
    smallBytes += size;
  }
  const bigDir = path.join(dir, "big");
  await fs.mkdir(bigDir, { recursive: true });
  let remaining = Math.max(1, megabytes * 1024 * 1024 - smallBytes);
  let bigFiles = 0;
  while (remaining > 0) {
    const size = Math.min(remaining, 256 * 1024 * 1024);
    const handle = await fs.open(path.join(bigDir, `b${bigFiles}.bin`), "w");
    try {
      for (let written = 0; written < size; written += pool.length) await handle.write(pool, 0, Math.min(pool.length, size - written));
    } finally {
      await handle.close();
    }
    remaining -= size;
    bigFiles += 1;
  }
  return { smallFiles, bigFiles, entries: smallFiles + bigFiles + Math.ceil(smallFiles / 100) + 3 };
};
