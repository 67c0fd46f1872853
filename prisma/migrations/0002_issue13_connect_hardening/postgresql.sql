-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "successor" TEXT;

-- CreateIndex
CREATE INDEX "DeviceGrant_expiresAt_idx" ON "DeviceGrant"("expiresAt");

-- CreateIndex
CREATE INDEX "ConsentSession_expiresAt_idx" ON "ConsentSession"("expiresAt");

