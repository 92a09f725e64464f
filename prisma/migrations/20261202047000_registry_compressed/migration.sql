-- Registries, compressed sizes and pull cost (issue 17)
ALTER TABLE "Project" ADD COLUMN "registryHost" TEXT,
  ADD COLUMN "registryRepository" TEXT,
  ADD COLUMN "registryUsername" TEXT,
  ADD COLUMN "registryPasswordCiphertext" TEXT,
  ADD COLUMN "registryInsecure" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "Variant" ADD COLUMN "budgetBasis" TEXT NOT NULL DEFAULT 'DISK',
  ADD COLUMN "registryBaseImage" TEXT;

ALTER TABLE "Build" ADD COLUMN "imageStore" TEXT,
  ADD COLUMN "compressedSize" BIGINT,
  ADD COLUMN "compressedSource" TEXT,
  ADD COLUMN "pushStatus" TEXT,
  ADD COLUMN "pushRef" TEXT,
  ADD COLUMN "pushDigest" TEXT,
  ADD COLUMN "pushError" TEXT,
  ADD COLUMN "pushedAt" TIMESTAMP(3),
  ADD COLUMN "baseImageRef" TEXT,
  ADD COLUMN "baseImageDigest" TEXT;

ALTER TABLE "Layer" ADD COLUMN "compressedSize" BIGINT,
  ADD COLUMN "compressedDigest" TEXT,
  ADD COLUMN "compressedMediaType" TEXT;

ALTER TABLE "ContentLayer" ADD COLUMN "gzipBytes" BIGINT;
