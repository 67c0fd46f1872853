-- CreateIndex
CREATE INDEX "InboxEvent_stripeAccountId_status_createdAt_idx" ON "InboxEvent"("stripeAccountId", "status", "createdAt");

