// A long synthetic build history written in a handful of `INSERT … SELECT generate_series`
// statements (100,000 builds with their layers, steps and smoke results in seconds), for
// bench:pages and the history-at-scale integration test. Never used by the app.
//
// One project, five variants (the example strategies). Build i belongs to variant i % 5;
// every five consecutive builds are one comparison, one comparison every `intervalMs`,
// newest first. The multi-stage variant has a size budget its slow drift crosses now and then.
import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const SEED_VARIANTS = [
  { name: "single-stage", strategy: "SINGLE_STAGE", size: 799e6, budget: null },
  { name: "multi-stage", strategy: "MULTI_STAGE", size: 354e6, budget: 363_500_000 },
  { name: "venv --copies", strategy: "VENV_COPIES", size: 241e6, budget: null },
  { name: "builder pattern", strategy: "BUILDER_PATTERN", size: 262e6, budget: null },
  { name: "custom slim", strategy: "CUSTOM", size: 310e6, budget: null },
] as const;

export type SeedHistoryOptions = {
  slug: string;
  builds: number;
  intervalMs?: number;
  // Build i fails when i % failEvery === 7 (20: every fourth build of one variant, as bench:pages
  // always had; a prime spreads failures over every variant).
  failEvery?: number;
  // "venv": the venv --copies image never runs (the example project's finding); a number k:
  // any succeeded build with i % k === 3 does not run.
  doesNotRun?: "venv" | number;
  // Also write 10 layers and 8 steps for each of the newest `details` builds (what the build
  // and compare pages read; their lookups go by build id, so older builds need none).
  details?: number;
};

export type SeededHistory = {
  projectId: string;
  variantIds: string[];
  buildId: (i: number) => string;
  comparisonId: (group: number) => string;
};

export const seedHistory = async (client: PrismaClient, options: SeedHistoryOptions): Promise<SeededHistory> => {
  const { slug, builds } = options;
  const intervalMs = options.intervalMs ?? 2 * 3600_000;
  const failEvery = options.failEvery ?? 20;
  const dnr = options.doesNotRun ?? "venv";
  const details = Math.min(options.details ?? 0, builds);
  const project = await client.project.create({
    data: {
      slug,
      name: `History ${slug}`,
      contextKind: "DIRECTORY",
      contextPath: "pyapp",
      variants: {
        create: SEED_VARIANTS.map((v, position) => ({ name: v.name, strategy: v.strategy, position, sizeBudgetBytes: v.budget === null ? null : BigInt(v.budget) })),
      },
    },
    include: { variants: { orderBy: { position: "asc" } } },
  });
  const prefix = `h${project.id.slice(-8)}`;
  const variantIds = project.variants.map((v) => v.id);
  const groups = Math.ceil(builds / SEED_VARIANTS.length);
  const sizes = SEED_VARIANTS.map((v) => v.size);
  const runsFalseVariant = dnr === "venv" ? 2 : -1;
  const runsFalseEvery = dnr === "venv" ? 0 : dnr;

  await client.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "Comparison" (id, "projectId", "createdAt")
        SELECT ${prefix} || 'c' || g, ${project.id}, date_trunc('milliseconds', now() AT TIME ZONE 'UTC') - g * ${intervalMs}::bigint * interval '1 millisecond'
        FROM generate_series(0, ${groups - 1}::int) g`;
      await tx.$executeRaw`
        WITH seq AS (
          SELECT i, i % 5 AS v, i / 5 AS g,
                 CASE WHEN i = 0 THEN 'RUNNING' WHEN i = 1 THEN 'QUEUED' WHEN i % ${failEvery}::int = 7 THEN 'FAILED'
                      WHEN i % 97 = 3 THEN 'CANCELLED' ELSE 'SUCCEEDED' END AS status,
                 40000 + (i * 7919) % 30000 AS duration,
                 date_trunc('milliseconds', now() AT TIME ZONE 'UTC') - ((i / 5) * ${intervalMs}::bigint + (i % 5) * 1000) * interval '1 millisecond' AS queued
          FROM generate_series(0, ${builds - 1}::int) i
        )
        INSERT INTO "Build" (id, "projectId", "variantId", "comparisonId", status, builder, settings, "queuedAt", "startedAt", "finishedAt",
                             "durationMs", "contextRevision", "engineVersion", "storageDriver", "imageTag", "imageId", "totalSize",
                             "stepsTotal", "stepsDone", "cachedSteps", "logLines", "logBytes", "errorCode", error)
        SELECT ${prefix} || 'b' || i, ${project.id}, (${variantIds}::text[])[v + 1], ${prefix} || 'c' || g, status::"BuildStatus",
               (CASE WHEN i % 3 = 0 THEN 'CLASSIC' ELSE 'BUILDKIT' END)::"Builder",
               '{"dockerfile":"Dockerfile","builder":"BUILDKIT","buildArgs":{},"noCache":false}'::jsonb,
               queued,
               CASE WHEN status = 'QUEUED' THEN NULL ELSE queued + interval '2 seconds' END,
               CASE WHEN status IN ('QUEUED', 'RUNNING') THEN NULL ELSE queued + interval '2 seconds' + duration * interval '1 millisecond' END,
               CASE WHEN status IN ('QUEUED', 'RUNNING') THEN NULL ELSE duration END,
               'sha256:' || md5(i::text) || md5(g::text), '20.10.24', 'overlay2',
               CASE WHEN status = 'SUCCEEDED' THEN 'layerboard/bench-' || v || ':' || i END,
               CASE WHEN status = 'SUCCEEDED' THEN 'sha256:' || md5('img' || i) || md5('id' || i) END,
               CASE WHEN status = 'SUCCEEDED' THEN round((${sizes}::float8[])[v + 1] + (g % 200) * 50000 + (i::bigint * 104729) % 1000000)::bigint END,
               8, CASE WHEN status = 'SUCCEEDED' THEN 8 ELSE 5 END, i % 4, 120, 9000,
               CASE WHEN status = 'FAILED' THEN 'BUILD_FAILED' END,
               CASE WHEN status = 'FAILED' THEN 'The command ''/bin/sh -c pip install .'' returned a non-zero code: 1' END
        FROM seq`;
      await tx.$executeRaw`
        INSERT INTO "SmokeResult" (id, "buildId", command, runs, "exitCode", "durationMs", "outputHead", "outputTail", error)
        SELECT b.id || 's', b.id, '["python3","-c","import app; print(app.ok())"]'::jsonb, NOT x.fails, CASE WHEN x.fails THEN 127 ELSE 0 END,
               300 + x.i % 200, CASE WHEN x.fails THEN 'python3: error while loading shared libraries: libexpat.so.1' ELSE 'ok' END,
               CASE WHEN x.fails THEN 'python3: error while loading shared libraries: libexpat.so.1' ELSE 'ok' END,
               CASE WHEN x.fails THEN 'exit code 127' END
        FROM "Build" b
        CROSS JOIN LATERAL (SELECT substr(b.id, ${prefix.length + 2})::int AS i) n
        CROSS JOIN LATERAL (SELECT n.i, (n.i % 5 = ${runsFalseVariant}::int OR (${runsFalseEvery}::int > 0 AND n.i % greatest(${runsFalseEvery}::int, 1) = 3)) AS fails) x
        WHERE b."projectId" = ${project.id} AND b.status = 'SUCCEEDED'`;
      if (!details) return;
      await tx.$executeRaw`
        INSERT INTO "BuildStep" (id, "buildId", digest, position, name, "startedAt", "completedAt", cached, error)
        SELECT b.id || 'p' || s, b.id, 'sha256:' || md5(b.id || s) || md5(s || b.id), s,
               (ARRAY['[1/7] FROM layerboard/bookworm-base:local', '[2/7] RUN apt-get update && apt-get install -y python3 python3-venv gcc',
                      '[3/7] WORKDIR /app', '[4/7] COPY requirements.txt .', '[5/7] RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt',
                      '[6/7] COPY . .', '[7/7] RUN /venv/bin/pip install .', 'exporting to image'])[s + 1],
               b."startedAt" + s * interval '3 seconds', b."startedAt" + (s * 3 + 2) * interval '1 second', s < b."cachedSteps",
               CASE WHEN b.status = 'FAILED' AND s = 6 THEN 'exit code 1' END
        FROM "Build" b CROSS JOIN generate_series(0, 7) s
        WHERE b."projectId" = ${project.id} AND b."finishedAt" IS NOT NULL AND substr(b.id, ${prefix.length + 2})::int < ${details}::int`;
      // Ten history entries per image: the base import, metadata-only entries and own layers.
      await tx.$executeRaw`
        INSERT INTO "Layer" (id, "buildId", image, position, "createdBy", instruction, size, "isEmpty", "isFromBase", "layerDigest")
        SELECT b.id || 'l' || p, b.id, 'main', p,
               CASE WHEN p = 0 THEN 'ADD file:abc in /' ELSE '/bin/sh -c #(nop) step ' || p END,
               CASE WHEN p = 0 THEN 'ADD file:abc in /' WHEN p IN (1, 2, 4, 8) THEN 'ENV STEP=' || p ELSE 'RUN step ' || p END,
               CASE WHEN p = 0 THEN 149000000 WHEN p IN (1, 2, 4, 8) THEN 0 WHEN p = 3 THEN round((b."totalSize" - 149000000) * 0.6)
                    WHEN p = 5 THEN 1200 WHEN p = 6 THEN round((b."totalSize" - 149000000) * 0.3) WHEN p = 7 THEN 48000
                    ELSE (b."totalSize" - 149000000) - round((b."totalSize" - 149000000) * 0.6) - round((b."totalSize" - 149000000) * 0.3) - 49200 END,
               p IN (1, 2, 4, 8), p < 2,
               CASE WHEN p IN (1, 2, 4, 8) THEN NULL ELSE 'sha256:' || md5(b.id || p) || md5(p || b.id) END
        FROM "Build" b CROSS JOIN generate_series(0, 9) p
        WHERE b."projectId" = ${project.id} AND b.status = 'SUCCEEDED' AND substr(b.id, ${prefix.length + 2})::int < ${details}::int`;
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
  return { projectId: project.id, variantIds, buildId: (i) => `${prefix}b${i}`, comparisonId: (g) => `${prefix}c${g}` };
};
