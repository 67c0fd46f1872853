-- AlterTable
ALTER TABLE "DocumentLink" ADD COLUMN     "exchangeRate" TEXT,
ADD COLUMN     "exchangeRateDate" TEXT,
ADD COLUMN     "fiscalNotes" TEXT,
ADD COLUMN     "outsideScope" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "BnrRateDay" (
    "date" TEXT NOT NULL,
    "publishedOn" TEXT NOT NULL,
    "rates" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BnrRateDay_pkey" PRIMARY KEY ("date")
);

