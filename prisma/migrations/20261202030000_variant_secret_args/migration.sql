-- Build args a variant marks secret whatever their name (issue 14, deliverable 10)
ALTER TABLE "Variant" ADD COLUMN "secretArgs" TEXT[] DEFAULT ARRAY[]::TEXT[];
