-- Instance lifecycle: every action keeps what it is (details) and how far each of its steps got
-- (progress); a step may be made again (retry, resume: the old row stays, undeployed, for the
-- audit), and a custom action's steps are its own (scope); ESC events outside any request are kept.

-- AlterTable
ALTER TABLE "action_instance" ADD COLUMN "details" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "action_instance" ADD COLUMN "progress" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "esc_resource" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'provision';

-- DropIndex
DROP INDEX "esc_resource_service_instance_id_step_id_key";

-- CreateIndex
CREATE INDEX "esc_resource_service_instance_id_scope_step_id_idx" ON "esc_resource"("service_instance_id", "scope", "step_id");

-- AlterTable
ALTER TABLE "esc_callback" ADD COLUMN "channel" TEXT NOT NULL DEFAULT 'request';

-- DropIndex
DROP INDEX "action_instance_service_instance_id_idx";

-- CreateIndex
CREATE INDEX "action_instance_service_instance_id_created_at_idx" ON "action_instance"("service_instance_id", "created_at");

-- Live progress: every state change, log line and ESC callback of an instance, in commit order per
-- instance (each is written under the instance's lock), announced with pg_notify('instance_events')
-- in the same transaction; GET ServiceInstances/{id}/events serves them as Server-Sent Events.
-- CreateTable
CREATE TABLE "instance_event" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "service_instance_id" UUID NOT NULL,
    "action_instance_id" UUID,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "instance_event_service_instance_id_id_idx" ON "instance_event"("service_instance_id", "id");

-- CreateIndex
CREATE INDEX "instance_event_tenant_id_created_at_idx" ON "instance_event"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "instance_event_created_at_idx" ON "instance_event"("created_at");

-- AddForeignKey
ALTER TABLE "instance_event" ADD CONSTRAINT "instance_event_service_instance_id_fkey" FOREIGN KEY ("service_instance_id") REFERENCES "service_instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
