-- AlterTable
ALTER TABLE "action_instance" ADD COLUMN     "failure" TEXT;

-- AlterTable
ALTER TABLE "esc_request" ADD COLUMN     "headers" JSONB;

-- AlterTable
ALTER TABLE "esc_resource" ADD COLUMN     "connection_name" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "outputs" JSONB NOT NULL DEFAULT '{}';

-- CreateIndex
CREATE INDEX "esc_resource_connection_name_status_idx" ON "esc_resource"("connection_name", "status");
