-- Issue 15: commits read from the git context, backfills of past commits and their items
CREATE TYPE "BackfillStatus" AS ENUM ('PLANNING', 'RUNNING', 'PAUSED', 'CANCELLED', 'DONE', 'FAILED');
CREATE TYPE "BackfillItemStatus" AS ENUM ('PENDING', 'BUILDING', 'SKIPPED', 'DONE', 'FAILED', 'CANCELLED');

CREATE TABLE "Commit" (
    "projectId" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "parentSha" TEXT,
    "subject" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "authoredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Commit_pkey" PRIMARY KEY ("projectId", "sha")
);

CREATE TABLE "Backfill" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "status" "BackfillStatus" NOT NULL DEFAULT 'PLANNING',
    "error" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "Backfill_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "BackfillItem" (
    "id" TEXT NOT NULL,
    "backfillId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "sha" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "status" "BackfillItemStatus" NOT NULL DEFAULT 'PENDING',
    "buildId" TEXT,
    "skippedFor" TEXT,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "BackfillItem_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Backfill_projectId_createdAt_idx" ON "Backfill"("projectId", "createdAt");
CREATE INDEX "Backfill_status_idx" ON "Backfill"("status");
CREATE UNIQUE INDEX "BackfillItem_backfillId_sha_variantId_key" ON "BackfillItem"("backfillId", "sha", "variantId");
CREATE INDEX "BackfillItem_backfillId_status_position_idx" ON "BackfillItem"("backfillId", "status", "position");

ALTER TABLE "Commit" ADD CONSTRAINT "Commit_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Backfill" ADD CONSTRAINT "Backfill_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BackfillItem" ADD CONSTRAINT "BackfillItem_backfillId_fkey" FOREIGN KEY ("backfillId") REFERENCES "Backfill"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BackfillItem" ADD CONSTRAINT "BackfillItem_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
