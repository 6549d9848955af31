-- Batch deploys: a batch of a tenant deploys many instances of one service version, at most
-- `concurrency` of its items running at once. Each valid item is an instance whose current action
-- waits (action status Queued) until the batch starts it; an invalid one (kept when the request
-- asked to go on with the valid ones) has its error and no instance.
-- CreateTable
CREATE TABLE "batch" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "service_version_id" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "invalid" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "batch_item" (
    "batch_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "service_instance_id" UUID,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "started_at" TIMESTAMP(3),

    CONSTRAINT "batch_item_pkey" PRIMARY KEY ("batch_id","index")
);

-- CreateIndex
CREATE INDEX "batch_tenant_id_created_at_idx" ON "batch"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "batch_item_service_instance_id_key" ON "batch_item"("service_instance_id");

-- CreateIndex
CREATE INDEX "batch_item_batch_id_state_index_idx" ON "batch_item"("batch_id", "state", "index");

-- AddForeignKey
ALTER TABLE "batch_item" ADD CONSTRAINT "batch_item_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch_item" ADD CONSTRAINT "batch_item_service_instance_id_fkey" FOREIGN KEY ("service_instance_id") REFERENCES "service_instance"("id") ON DELETE SET NULL ON UPDATE CASCADE;
