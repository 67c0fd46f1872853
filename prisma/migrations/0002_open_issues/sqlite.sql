-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN "successor" TEXT;

-- CreateTable
CREATE TABLE "PeriodReconciliation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "phase" TEXT NOT NULL DEFAULT 'invoices',
    "cursor" TEXT,
    "pagesRead" INTEGER NOT NULL DEFAULT 0,
    "salesFound" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "leaseUntil" DATETIME,
    "lockedBy" TEXT,
    "nextRunAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PeriodSale" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reconciliationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stripeObjectId" TEXT NOT NULL,
    "paymentIntentId" TEXT,
    "saleDay" TEXT NOT NULL,
    "customerName" TEXT,
    "customerTaxId" TEXT,
    "buyerCountry" TEXT,
    "amount" TEXT NOT NULL,
    "vat" TEXT,
    "currency" TEXT NOT NULL,
    "stripeStatus" TEXT,
    "notApplicable" TEXT,
    CONSTRAINT "PeriodSale_reconciliationId_fkey" FOREIGN KEY ("reconciliationId") REFERENCES "PeriodReconciliation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PeriodInvoicePayment" (
    "reconciliationId" TEXT NOT NULL,
    "paymentIntentId" TEXT NOT NULL,

    PRIMARY KEY ("reconciliationId", "paymentIntentId"),
    CONSTRAINT "PeriodInvoicePayment_reconciliationId_fkey" FOREIGN KEY ("reconciliationId") REFERENCES "PeriodReconciliation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Backfill" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "reconciliationId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "lateConfirmed" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "cancelledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BackfillItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "backfillId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stripeObjectId" TEXT NOT NULL,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lockedBy" TEXT,
    "documentId" TEXT,
    "lastError" TEXT,
    "finishedAt" DATETIME,
    CONSTRAINT "BackfillItem_backfillId_fkey" FOREIGN KEY ("backfillId") REFERENCES "Backfill" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
CREATE INDEX "DocumentLink_connectionId_status_createdAt_idx" ON "DocumentLink"("connectionId", "status", "createdAt");
CREATE INDEX "DocumentLink_connectionId_updatedAt_idx" ON "DocumentLink"("connectionId", "updatedAt");
CREATE UNIQUE INDEX "DocumentLink_connectionId_stripeObjectId_kind_key" ON "DocumentLink"("connectionId", "stripeObjectId", "kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PeriodReconciliation_connectionId_fromDay_toDay_idx" ON "PeriodReconciliation"("connectionId", "fromDay", "toDay");

-- CreateIndex
CREATE INDEX "PeriodReconciliation_status_nextRunAt_idx" ON "PeriodReconciliation"("status", "nextRunAt");

-- CreateIndex
CREATE INDEX "PeriodSale_reconciliationId_kind_saleDay_idx" ON "PeriodSale"("reconciliationId", "kind", "saleDay");

-- CreateIndex
CREATE INDEX "PeriodSale_reconciliationId_paymentIntentId_idx" ON "PeriodSale"("reconciliationId", "paymentIntentId");

-- CreateIndex
CREATE UNIQUE INDEX "PeriodSale_reconciliationId_stripeObjectId_key" ON "PeriodSale"("reconciliationId", "stripeObjectId");

-- CreateIndex
CREATE INDEX "Backfill_connectionId_status_idx" ON "Backfill"("connectionId", "status");

-- CreateIndex
CREATE INDEX "Backfill_status_idx" ON "Backfill"("status");

-- CreateIndex
CREATE INDEX "BackfillItem_backfillId_status_stage_idx" ON "BackfillItem"("backfillId", "status", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "BackfillItem_backfillId_stripeObjectId_key" ON "BackfillItem"("backfillId", "stripeObjectId");

-- CreateIndex
CREATE INDEX "DeviceGrant_expiresAt_idx" ON "DeviceGrant"("expiresAt");

-- CreateIndex
CREATE INDEX "ConsentSession_expiresAt_idx" ON "ConsentSession"("expiresAt");

-- CreateIndex
CREATE INDEX "InboxEvent_stripeAccountId_createdAt_idx" ON "InboxEvent"("stripeAccountId", "createdAt");

