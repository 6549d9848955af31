-- CreateTable
CREATE TABLE "esc_connection" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password_sealed" TEXT,
    "default_tenant" TEXT,
    "ca_bundle" TEXT,
    "timeout_seconds" INTEGER NOT NULL DEFAULT 30,
    "max_in_flight" INTEGER NOT NULL DEFAULT 16,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "esc_connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shared_parameter" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "datatype" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "secured_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shared_parameter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "esc_connection_tenant_id_name_key" ON "esc_connection"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "shared_parameter_tenant_id_name_key" ON "shared_parameter"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "shared_parameter_tenant_id_datatype_idx" ON "shared_parameter"("tenant_id", "datatype");
