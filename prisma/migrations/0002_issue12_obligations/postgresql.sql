-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "invoiceTrigger" TEXT NOT NULL DEFAULT 'finalized';

-- AlterTable
ALTER TABLE "DocumentLink" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "hold" TEXT,
ADD COLUMN     "issueDate" TEXT,
ADD COLUMN     "lateSubmission" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "waitingFor" TEXT;

-- CreateIndex
CREATE INDEX "DocumentLink_hold_waitingFor_idx" ON "DocumentLink"("hold", "waitingFor");

