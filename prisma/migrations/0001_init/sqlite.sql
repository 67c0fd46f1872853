-- CreateTable
CREATE TABLE "DeviceGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deviceCodeHash" TEXT NOT NULL,
    "userCode" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "stripeUserId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "intervalSeconds" INTEGER NOT NULL,
    "lastPolledAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectionId" TEXT,
    "approvedByEmail" TEXT
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stripeAccountId" TEXT NOT NULL,
    "stornoCompanyId" TEXT NOT NULL,
    "stornoOrganizationId" TEXT,
    "companyName" TEXT NOT NULL,
    "companyCif" TEXT NOT NULL,
    "authorizedByEmail" TEXT NOT NULL,
    "authorizedByName" TEXT NOT NULL,
    "authorizedAt" DATETIME NOT NULL,
    "stornoCredentials" TEXT,
    "status" TEXT NOT NULL,
    "autoMode" BOOLEAN NOT NULL DEFAULT false,
    "defaultVatRate" TEXT NOT NULL DEFAULT '21.00',
    "stornoWebhookId" TEXT,
    "stornoWebhookSecret" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "disconnectedAt" DATETIME
);

-- CreateTable
CREATE TABLE "RefreshToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "stripeUserId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RefreshToken_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "csrfToken" TEXT NOT NULL,
    "oauthState" TEXT,
    "pkceVerifier" TEXT,
    "userCode" TEXT,
    "stornoCredentials" TEXT,
    "userEmail" TEXT,
    "userName" TEXT,
    "failedCodeCount" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "stornoClientId" TEXT NOT NULL,
    "matchedBy" TEXT NOT NULL,
    "customerHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CustomerLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocumentLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "lockedUntil" DATETIME,
    "stripeCustomerId" TEXT,
    "lastRefreshedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DocumentLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "source" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "stripeAccountId" TEXT,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME
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

