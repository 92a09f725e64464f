-- Build on push (issue 15): incoming push webhooks, branch polling and the deliveries they received
CREATE TABLE "PushHook" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "secretCiphertext" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "branch" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushHook_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "PushPoll" (
    "projectId" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "intervalSeconds" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastSeenSha" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "nextCheckAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PushPoll_pkey" PRIMARY KEY ("projectId")
);

CREATE TABLE "PushDelivery" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "ref" TEXT,
    "commitSha" TEXT,
    "outcome" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "comparisonId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushDelivery_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "PushHook_projectId_key" ON "PushHook"("projectId");

CREATE UNIQUE INDEX "PushDelivery_projectId_deliveryId_key" ON "PushDelivery"("projectId", "deliveryId");

CREATE INDEX "PushDelivery_projectId_receivedAt_idx" ON "PushDelivery"("projectId", "receivedAt");

ALTER TABLE "PushHook" ADD CONSTRAINT "PushHook_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "PushPoll" ADD CONSTRAINT "PushPoll_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "PushDelivery" ADD CONSTRAINT "PushDelivery_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
