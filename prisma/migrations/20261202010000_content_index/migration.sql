-- Image contents (issue 11): per-layer content indexes keyed by diff_id, and one content
-- analysis per build image with the layers it uses.

-- CreateEnum
CREATE TYPE "ContentAnalysisStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "ContentLayer" (
    "diffId" TEXT NOT NULL,
    "blob" BYTEA NOT NULL,
    "entries" INTEGER NOT NULL,
    "droppedEntries" INTEGER NOT NULL DEFAULT 0,
    "files" INTEGER NOT NULL,
    "dirs" INTEGER NOT NULL,
    "symlinks" INTEGER NOT NULL,
    "hardlinks" INTEGER NOT NULL,
    "whiteouts" INTEGER NOT NULL,
    "fileBytes" BIGINT NOT NULL,
    "tarBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContentLayer_pkey" PRIMARY KEY ("diffId")
);

-- CreateTable
CREATE TABLE "ContentLayerExportName" (
    "name" TEXT NOT NULL,
    "diffId" TEXT NOT NULL,

    CONSTRAINT "ContentLayerExportName_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "ContentAnalysis" (
    "id" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "image" TEXT NOT NULL DEFAULT 'main',
    "imageId" TEXT,
    "status" "ContentAnalysisStatus" NOT NULL DEFAULT 'QUEUED',
    "bytesRead" BIGINT NOT NULL DEFAULT 0,
    "bytesTotal" BIGINT,
    "layersDone" INTEGER NOT NULL DEFAULT 0,
    "layersTotal" INTEGER,
    "errorCode" TEXT,
    "error" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "heartbeatAt" TIMESTAMP(3),
    "result" JSONB,

    CONSTRAINT "ContentAnalysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentAnalysisLayer" (
    "analysisId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "diffId" TEXT NOT NULL,
    "isFromBase" BOOLEAN NOT NULL DEFAULT false,
    "reused" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ContentAnalysisLayer_pkey" PRIMARY KEY ("analysisId","index")
);

-- CreateIndex
CREATE INDEX "ContentLayerExportName_diffId_idx" ON "ContentLayerExportName"("diffId");

-- CreateIndex
CREATE INDEX "ContentAnalysis_status_idx" ON "ContentAnalysis"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ContentAnalysis_buildId_image_key" ON "ContentAnalysis"("buildId", "image");

-- CreateIndex
CREATE INDEX "ContentAnalysisLayer_diffId_idx" ON "ContentAnalysisLayer"("diffId");

-- AddForeignKey
ALTER TABLE "ContentLayerExportName" ADD CONSTRAINT "ContentLayerExportName_diffId_fkey" FOREIGN KEY ("diffId") REFERENCES "ContentLayer"("diffId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentAnalysis" ADD CONSTRAINT "ContentAnalysis_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentAnalysisLayer" ADD CONSTRAINT "ContentAnalysisLayer_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "ContentAnalysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
