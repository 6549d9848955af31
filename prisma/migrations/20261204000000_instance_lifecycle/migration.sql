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
