-- CreateTable
CREATE TABLE "DeviceGrant" (
    "id" TEXT NOT NULL,
    "deviceCodeHash" TEXT NOT NULL,
    "userCode" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "stripeUserId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "intervalSeconds" INTEGER NOT NULL,
    "lastPolledAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectionId" TEXT,
    "approvedByEmail" TEXT,

    CONSTRAINT "DeviceGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "stornoCompanyId" TEXT NOT NULL,
    "stornoOrganizationId" TEXT,
    "companyName" TEXT NOT NULL,
    "companyCif" TEXT NOT NULL,
    "authorizedByEmail" TEXT NOT NULL,
    "authorizedByName" TEXT NOT NULL,
    "authorizedAt" TIMESTAMP(3) NOT NULL,
    "stornoCredentials" TEXT,
    "status" TEXT NOT NULL,
    "autoMode" BOOLEAN NOT NULL DEFAULT false,
    "defaultVatRate" TEXT NOT NULL DEFAULT '21.00',
    "stornoWebhookId" TEXT,
    "stornoWebhookSecret" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "disconnectedAt" TIMESTAMP(3),

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefreshToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "stripeUserId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefreshToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentSession" (
    "id" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "oauthState" TEXT,
    "pkceVerifier" TEXT,
    "userCode" TEXT,
    "stornoCredentials" TEXT,
    "userEmail" TEXT,
    "userName" TEXT,
    "failedCodeCount" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerLink" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "stornoClientId" TEXT NOT NULL,
    "matchedBy" TEXT NOT NULL,
    "customerHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentLink" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "stripeObjectId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "stornoDocumentId" TEXT,
    "documentNumber" TEXT,
    "status" TEXT NOT NULL,
    "providerError" TEXT,
    "problem" TEXT,
    "clientName" TEXT,
    "total" TEXT,
    "currency" TEXT,
    "parentId" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'manual',
    "paymentRecorded" BOOLEAN NOT NULL DEFAULT false,
    "issueAnyway" BOOLEAN NOT NULL DEFAULT false,
    "lockedUntil" TIMESTAMP(3),
    "stripeCustomerId" TEXT,
    "lastRefreshedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DocumentLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "stripeAccountId" TEXT,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeviceGrant_deviceCodeHash_key" ON "DeviceGrant"("deviceCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "DeviceGrant_userCode_key" ON "DeviceGrant"("userCode");

-- CreateIndex
CREATE INDEX "DeviceGrant_stripeAccountId_idx" ON "DeviceGrant"("stripeAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Connection_stripeAccountId_key" ON "Connection"("stripeAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "RefreshToken_tokenHash_key" ON "RefreshToken"("tokenHash");

-- CreateIndex
CREATE INDEX "RefreshToken_familyId_idx" ON "RefreshToken"("familyId");

-- CreateIndex
CREATE INDEX "RefreshToken_connectionId_idx" ON "RefreshToken"("connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerLink_connectionId_stripeCustomerId_key" ON "CustomerLink"("connectionId", "stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentLink_idempotencyKey_key" ON "DocumentLink"("idempotencyKey");

-- CreateIndex
CREATE INDEX "DocumentLink_connectionId_status_idx" ON "DocumentLink"("connectionId", "status");

-- CreateIndex
CREATE INDEX "DocumentLink_connectionId_createdAt_idx" ON "DocumentLink"("connectionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentLink_connectionId_stripeObjectId_kind_key" ON "DocumentLink"("connectionId", "stripeObjectId", "kind");

-- CreateIndex
CREATE INDEX "InboxEvent_status_nextAttemptAt_idx" ON "InboxEvent"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxEvent_source_eventId_key" ON "InboxEvent"("source", "eventId");

-- AddForeignKey
ALTER TABLE "RefreshToken" ADD CONSTRAINT "RefreshToken_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerLink" ADD CONSTRAINT "CustomerLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentLink" ADD CONSTRAINT "DocumentLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

