-- Instance lists: keyset order (created_at, id) and the filters a list takes most, within a tenant.
-- DropIndex
DROP INDEX "service_instance_tenant_id_created_at_idx";

-- CreateIndex
CREATE INDEX "service_instance_tenant_id_created_at_id_idx" ON "service_instance"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "service_instance_tenant_id_status_created_at_idx" ON "service_instance"("tenant_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "service_instance_tenant_id_name_idx" ON "service_instance"("tenant_id", "name");
