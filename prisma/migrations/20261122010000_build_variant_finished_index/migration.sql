-- Latest sizes per variant read each variant's newest builds through this index.
CREATE INDEX "Build_variantId_finishedAt_idx" ON "Build"("variantId", "finishedAt");
