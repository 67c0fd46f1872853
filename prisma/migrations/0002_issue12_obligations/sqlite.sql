-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Connection" (
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
    "invoiceTrigger" TEXT NOT NULL DEFAULT 'finalized',
    "defaultVatRate" TEXT NOT NULL DEFAULT '21.00',
    "stornoWebhookId" TEXT,
    "stornoWebhookSecret" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "disconnectedAt" DATETIME
);
INSERT INTO "new_Connection" ("authorizedAt", "authorizedByEmail", "authorizedByName", "autoMode", "companyCif", "companyName", "createdAt", "defaultVatRate", "disconnectedAt", "id", "status", "stornoCompanyId", "stornoCredentials", "stornoOrganizationId", "stornoWebhookId", "stornoWebhookSecret", "stripeAccountId", "updatedAt") SELECT "authorizedAt", "authorizedByEmail", "authorizedByName", "autoMode", "companyCif", "companyName", "createdAt", "defaultVatRate", "disconnectedAt", "id", "status", "stornoCompanyId", "stornoCredentials", "stornoOrganizationId", "stornoWebhookId", "stornoWebhookSecret", "stripeAccountId", "updatedAt" FROM "Connection";
DROP TABLE "Connection";
ALTER TABLE "new_Connection" RENAME TO "Connection";
CREATE UNIQUE INDEX "Connection_stripeAccountId_key" ON "Connection"("stripeAccountId");
CREATE TABLE "new_DocumentLink" (
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
    "leaseOwner" TEXT,
    "hold" TEXT,
    "waitingFor" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "issueDate" TEXT,
    "lateSubmission" BOOLEAN NOT NULL DEFAULT false,
    "stripeCustomerId" TEXT,
    "lastRefreshedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DocumentLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DocumentLink" ("clientName", "connectionId", "createdAt", "currency", "documentNumber", "id", "idempotencyKey", "issueAnyway", "kind", "lastRefreshedAt", "lockedUntil", "origin", "parentId", "paymentRecorded", "problem", "providerError", "status", "stornoDocumentId", "stripeCustomerId", "stripeObjectId", "total", "updatedAt") SELECT "clientName", "connectionId", "createdAt", "currency", "documentNumber", "id", "idempotencyKey", "issueAnyway", "kind", "lastRefreshedAt", "lockedUntil", "origin", "parentId", "paymentRecorded", "problem", "providerError", "status", "stornoDocumentId", "stripeCustomerId", "stripeObjectId", "total", "updatedAt" FROM "DocumentLink";
DROP TABLE "DocumentLink";
ALTER TABLE "new_DocumentLink" RENAME TO "DocumentLink";
CREATE UNIQUE INDEX "DocumentLink_idempotencyKey_key" ON "DocumentLink"("idempotencyKey");
CREATE INDEX "DocumentLink_connectionId_status_idx" ON "DocumentLink"("connectionId", "status");
CREATE INDEX "DocumentLink_connectionId_createdAt_idx" ON "DocumentLink"("connectionId", "createdAt");
CREATE INDEX "DocumentLink_hold_waitingFor_idx" ON "DocumentLink"("hold", "waitingFor");
CREATE UNIQUE INDEX "DocumentLink_connectionId_stripeObjectId_kind_key" ON "DocumentLink"("connectionId", "stripeObjectId", "kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

