-- The builds page (issue 13): builds across projects, newest first, paged on (queuedAt, id)
CREATE INDEX "Build_queuedAt_id_idx" ON "Build"("queuedAt", "id");

-- the status filter with the same order
CREATE INDEX "Build_status_queuedAt_idx" ON "Build"("status", "queuedAt");

-- the commit filter: a prefix LIKE on the context revision, whatever the collation
CREATE INDEX "Build_contextRevision_idx" ON "Build"("contextRevision" text_pattern_ops);
