-- AlterTable
ALTER TABLE "service" ADD COLUMN     "category" TEXT NOT NULL DEFAULT 'CloudServices',
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'service',
ADD COLUMN     "namespace_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "service_version" ADD COLUMN     "retire_on" TIMESTAMP(3),
ADD COLUMN     "retired_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "icon" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "icon_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "icon_tenant_id_name_key" ON "icon"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "icon_tenant_id_created_at_id_idx" ON "icon"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "service_tenant_id_kind_created_at_id_idx" ON "service"("tenant_id", "kind", "created_at", "id");

-- CreateIndex
CREATE INDEX "service_version_retire_on_idx" ON "service_version"("retire_on");

-- CreateIndex
CREATE INDEX "service_instance_service_version_id_status_idx" ON "service_instance"("service_version_id", "status");

-- Backfill: the category each service's default version names
UPDATE "service" s SET "category" = COALESCE(NULLIF(v."document"->'catalog_metadata'->>'category', ''), 'CloudServices')
FROM "service_version" v WHERE v."id" = s."default_version_id";
