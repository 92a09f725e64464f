-- CreateEnum
CREATE TYPE "SmokePrivileges" AS ENUM ('STRICT', 'RELAXED');

-- AlterTable
ALTER TABLE "Variant" ADD COLUMN     "smokePrivileges" "SmokePrivileges" NOT NULL DEFAULT 'STRICT';
