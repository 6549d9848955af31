-- The worker processes that run, each refreshing seen_at every few seconds. A send to ESC is
-- claimed by one of them (esc_request.sent_by); a claim whose worker stopped refreshing (it was
-- killed mid-send) is taken over within seconds instead of waiting out the claim's lease.
-- CreateTable
CREATE TABLE "worker_process" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "worker_process_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "esc_request" ADD COLUMN "sent_by" TEXT;

-- The claims held now (few, whatever the table's size): what the takeover watch reads.
-- Partial, so written here rather than in schema.prisma.
CREATE INDEX "esc_request_claimed_idx" ON "esc_request"("sent_at") WHERE "status" = 'Pending' AND "sent_at" IS NOT NULL;
