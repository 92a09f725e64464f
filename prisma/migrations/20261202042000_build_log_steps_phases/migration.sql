-- Issue 13 items 3 and 4: each log line names the BuildKit step that printed it, each step
-- the image it belongs to (builder pattern: build or main), and a build keeps the time it
-- spent outside BuildKit steps as phases (a JSON list of name, startedAt, finishedAt)
ALTER TABLE "LogLine" ADD COLUMN "stepDigest" TEXT;
ALTER TABLE "BuildStep" ADD COLUMN "image" TEXT NOT NULL DEFAULT 'main';
ALTER TABLE "Build" ADD COLUMN "phases" JSONB NOT NULL DEFAULT '[]';
