-- A transactional outbox: the job that runs an accepted request is written in the same
-- transaction as the request's rows, and relayed to the queue after the commit (by the gateway
-- at once, by the workers when the gateway could not), so no accepted request is ever without
-- its job, even when the gateway dies or the queue store is down between commit and enqueue.
-- CreateTable
CREATE TABLE "job_outbox" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "run_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_outbox_created_at_idx" ON "job_outbox"("created_at");
