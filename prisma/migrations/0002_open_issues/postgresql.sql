-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "invoiceTrigger" TEXT NOT NULL DEFAULT 'finalized';

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "successor" TEXT;

-- AlterTable
ALTER TABLE "DocumentLink" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "hold" TEXT,
ADD COLUMN     "issueDate" TEXT,
ADD COLUMN     "lateSubmission" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "waitingFor" TEXT;

-- CreateTable
CREATE TABLE "PeriodReconciliation" (
    "id" TEXT NOT NULL,
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
    "leaseUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "nextRunAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PeriodReconciliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PeriodSale" (
    "id" TEXT NOT NULL,
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

    CONSTRAINT "PeriodSale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PeriodInvoicePayment" (
    "reconciliationId" TEXT NOT NULL,
    "paymentIntentId" TEXT NOT NULL,

    CONSTRAINT "PeriodInvoicePayment_pkey" PRIMARY KEY ("reconciliationId","paymentIntentId")
);

-- CreateTable
CREATE TABLE "Backfill" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "reconciliationId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "lateConfirmed" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Backfill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillItem" (
    "id" TEXT NOT NULL,
    "backfillId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stripeObjectId" TEXT NOT NULL,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "documentId" TEXT,
    "lastError" TEXT,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackfillItem_pkey" PRIMARY KEY ("id")
);

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
CREATE INDEX "DocumentLink_hold_waitingFor_idx" ON "DocumentLink"("hold", "waitingFor");

-- CreateIndex
CREATE INDEX "DocumentLink_connectionId_status_createdAt_idx" ON "DocumentLink"("connectionId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "DocumentLink_connectionId_updatedAt_idx" ON "DocumentLink"("connectionId", "updatedAt");

-- CreateIndex
CREATE INDEX "InboxEvent_stripeAccountId_createdAt_idx" ON "InboxEvent"("stripeAccountId", "createdAt");

-- AddForeignKey
ALTER TABLE "PeriodSale" ADD CONSTRAINT "PeriodSale_reconciliationId_fkey" FOREIGN KEY ("reconciliationId") REFERENCES "PeriodReconciliation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodInvoicePayment" ADD CONSTRAINT "PeriodInvoicePayment_reconciliationId_fkey" FOREIGN KEY ("reconciliationId") REFERENCES "PeriodReconciliation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackfillItem" ADD CONSTRAINT "BackfillItem_backfillId_fkey" FOREIGN KEY ("backfillId") REFERENCES "Backfill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

