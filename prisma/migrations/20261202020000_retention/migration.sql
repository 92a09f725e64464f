-- Retention: per-project overrides, pinned builds, removed images and logs
ALTER TABLE "Project" ADD COLUMN "retainBuilds" INTEGER,
ADD COLUMN "retainLogDays" INTEGER;

ALTER TABLE "Build" ADD COLUMN "pinnedAt" TIMESTAMP(3),
ADD COLUMN "pinnedBy" TEXT,
ADD COLUMN "imageRemovedAt" TIMESTAMP(3),
ADD COLUMN "logRemovedAt" TIMESTAMP(3),
ADD COLUMN "logRetainedDays" INTEGER;
