-- Archived projects and variants keep their history but leave the lists (issue 13, item 1)
ALTER TABLE "Project" ADD COLUMN "archivedAt" TIMESTAMP(3);
ALTER TABLE "Variant" ADD COLUMN "archivedAt" TIMESTAMP(3);
