-- Size history version per project (issue 16 item 5): bumped by triggers whenever something the
-- size chart shows changes (the charted columns of a build, its smoke verdict, a variant budget), so
-- lib/data/charts.ts can keep a downsampled history until it changes. No foreign key: the
-- triggers also fire while the builds of a deleted project are deleted with it.
-- Prisma migrate splits a migration at every semicolon, even inside a function body: the
-- bodies are therefore E-strings with each semicolon written \073.
CREATE TABLE "HistoryVersion" (
    "projectId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "HistoryVersion_pkey" PRIMARY KEY ("projectId")
);

CREATE FUNCTION "bump_history_version"(project_ids TEXT[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "HistoryVersion" ("projectId")
  SELECT DISTINCT id FROM unnest(project_ids) AS id WHERE id IS NOT NULL
  ORDER BY 1
  ON CONFLICT ("projectId") DO UPDATE SET "version" = "HistoryVersion"."version" + 1
$$;

-- Builds: inserted finished (imports, seeds), deleted, or a charted column changed (heartbeats and log counters are not).
CREATE FUNCTION "history_version_build_rows"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    PERFORM "bump_history_version"(ARRAY(SELECT "projectId" FROM new_rows WHERE "finishedAt" IS NOT NULL))\073
  ELSIF TG_OP = ''DELETE'' THEN
    PERFORM "bump_history_version"(ARRAY(SELECT "projectId" FROM old_rows))\073
  ELSE
    PERFORM "bump_history_version"(ARRAY(
      SELECT n."projectId" FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (o.status, o."finishedAt", o."totalSize", o."durationMs", o."contextRevision", o."variantId", o."projectId")
            IS DISTINCT FROM (n.status, n."finishedAt", n."totalSize", n."durationMs", n."contextRevision", n."variantId", n."projectId")
      UNION ALL
      SELECT o."projectId" FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o."projectId" <> n."projectId"))\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "Build_history_version_insert" AFTER INSERT ON "Build" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_build_rows"();
CREATE TRIGGER "Build_history_version_update" AFTER UPDATE ON "Build" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_build_rows"();
CREATE TRIGGER "Build_history_version_delete" AFTER DELETE ON "Build" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_build_rows"();

-- Smoke verdicts: the chart marks builds that do not run.
CREATE FUNCTION "history_version_smoke_rows"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    PERFORM "bump_history_version"(ARRAY(SELECT b."projectId" FROM old_rows s JOIN "Build" b ON b.id = s."buildId"))\073
  ELSE
    PERFORM "bump_history_version"(ARRAY(SELECT b."projectId" FROM new_rows s JOIN "Build" b ON b.id = s."buildId"))\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "SmokeResult_history_version_insert" AFTER INSERT ON "SmokeResult" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_smoke_rows"();
CREATE TRIGGER "SmokeResult_history_version_update" AFTER UPDATE ON "SmokeResult" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_smoke_rows"();
CREATE TRIGGER "SmokeResult_history_version_delete" AFTER DELETE ON "SmokeResult" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_smoke_rows"();

-- Variants: the size budget marks over-budget builds.
CREATE FUNCTION "history_version_variant_rows"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM "bump_history_version"(ARRAY(
    SELECT n."projectId" FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o."sizeBudgetBytes" IS DISTINCT FROM n."sizeBudgetBytes"))\073
  RETURN NULL\073
END';

CREATE TRIGGER "Variant_history_version_update" AFTER UPDATE ON "Variant" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "history_version_variant_rows"();
