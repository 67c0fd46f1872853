-- CreateTable
CREATE TABLE "BnrRateDay" (
    "date" TEXT NOT NULL PRIMARY KEY,
    "publishedOn" TEXT NOT NULL,
    "rates" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "exchangeRate" TEXT,
    "exchangeRateDate" TEXT,
    "outsideScope" BOOLEAN NOT NULL DEFAULT false,
    "fiscalNotes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DocumentLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DocumentLink" ("attempts", "clientName", "connectionId", "createdAt", "currency", "documentNumber", "hold", "id", "idempotencyKey", "issueAnyway", "issueDate", "kind", "lastRefreshedAt", "lateSubmission", "leaseOwner", "lockedUntil", "nextAttemptAt", "origin", "parentId", "paymentRecorded", "problem", "providerError", "status", "stornoDocumentId", "stripeCustomerId", "stripeObjectId", "total", "updatedAt", "waitingFor") SELECT "attempts", "clientName", "connectionId", "createdAt", "currency", "documentNumber", "hold", "id", "idempotencyKey", "issueAnyway", "issueDate", "kind", "lastRefreshedAt", "lateSubmission", "leaseOwner", "lockedUntil", "nextAttemptAt", "origin", "parentId", "paymentRecorded", "problem", "providerError", "status", "stornoDocumentId", "stripeCustomerId", "stripeObjectId", "total", "updatedAt", "waitingFor" FROM "DocumentLink";
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

