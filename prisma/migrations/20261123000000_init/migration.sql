-- CreateTable
CREATE TABLE "esc_template" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "resource_kind" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "placeholders" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "esc_template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "namespace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "long_description" TEXT NOT NULL,
    "default_version_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_version" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "published_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "service_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_instance" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "namespace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "service_id" UUID NOT NULL,
    "service_version_id" UUID NOT NULL,
    "plan" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "current_action_instance_id" UUID,
    "active_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "service_instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_instance" (
    "id" UUID NOT NULL,
    "service_instance_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "secured_names" TEXT[],
    "log" TEXT NOT NULL DEFAULT '',
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "action_instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "esc_resource" (
    "id" UUID NOT NULL,
    "service_instance_id" UUID NOT NULL,
    "step_id" TEXT NOT NULL,
    "sequence_no" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "internal_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "esc_tenant" TEXT NOT NULL,
    "external_id" TEXT,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "esc_resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "esc_request" (
    "id" UUID NOT NULL,
    "action_instance_id" UUID NOT NULL,
    "esc_resource_id" UUID NOT NULL,
    "step_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "body" TEXT,
    "callback_token" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "http_status" INTEGER,
    "response_body" TEXT,
    "transaction_id" TEXT,
    "status_code" INTEGER,
    "status_message" TEXT,
    "sent_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "esc_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "esc_vm" (
    "id" UUID NOT NULL,
    "esc_resource_id" UUID NOT NULL,
    "vm_name" TEXT NOT NULL,
    "vm_uuid" TEXT,
    "group_name" TEXT NOT NULL,
    "host_name" TEXT,
    "stage" TEXT NOT NULL,
    "stage_rank" INTEGER NOT NULL,
    "interfaces" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "esc_vm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "esc_callback" (
    "id" UUID NOT NULL,
    "esc_request_id" UUID,
    "transaction_id" TEXT,
    "status_code" INTEGER,
    "status_message" TEXT,
    "headers" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "stage" TEXT,
    "internal_id" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'Received',
    "detail" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMP(3),

    CONSTRAINT "esc_callback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "esc_template_tenant_id_name_version_key" ON "esc_template"("tenant_id", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "service_tenant_id_name_key" ON "service"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "service_version_tenant_id_idx" ON "service_version"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "service_version_service_id_version_key" ON "service_version"("service_id", "version");

-- CreateIndex
CREATE INDEX "service_instance_tenant_id_created_at_idx" ON "service_instance"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "action_instance_service_instance_id_idx" ON "action_instance"("service_instance_id");

-- CreateIndex
CREATE UNIQUE INDEX "esc_resource_internal_id_key" ON "esc_resource"("internal_id");

-- CreateIndex
CREATE UNIQUE INDEX "esc_resource_service_instance_id_step_id_key" ON "esc_resource"("service_instance_id", "step_id");

-- CreateIndex
CREATE UNIQUE INDEX "esc_request_callback_token_key" ON "esc_request"("callback_token");

-- CreateIndex
CREATE UNIQUE INDEX "esc_request_transaction_id_key" ON "esc_request"("transaction_id");

-- CreateIndex
CREATE INDEX "esc_request_esc_resource_id_idx" ON "esc_request"("esc_resource_id");

-- CreateIndex
CREATE UNIQUE INDEX "esc_vm_esc_resource_id_vm_name_key" ON "esc_vm"("esc_resource_id", "vm_name");

-- CreateIndex
CREATE INDEX "esc_callback_esc_request_id_idx" ON "esc_callback"("esc_request_id");

-- CreateIndex
CREATE INDEX "esc_callback_transaction_id_idx" ON "esc_callback"("transaction_id");

-- AddForeignKey
ALTER TABLE "service_version" ADD CONSTRAINT "service_version_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_instance" ADD CONSTRAINT "service_instance_service_version_id_fkey" FOREIGN KEY ("service_version_id") REFERENCES "service_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_instance" ADD CONSTRAINT "action_instance_service_instance_id_fkey" FOREIGN KEY ("service_instance_id") REFERENCES "service_instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "esc_resource" ADD CONSTRAINT "esc_resource_service_instance_id_fkey" FOREIGN KEY ("service_instance_id") REFERENCES "service_instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "esc_request" ADD CONSTRAINT "esc_request_action_instance_id_fkey" FOREIGN KEY ("action_instance_id") REFERENCES "action_instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "esc_request" ADD CONSTRAINT "esc_request_esc_resource_id_fkey" FOREIGN KEY ("esc_resource_id") REFERENCES "esc_resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "esc_vm" ADD CONSTRAINT "esc_vm_esc_resource_id_fkey" FOREIGN KEY ("esc_resource_id") REFERENCES "esc_resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "esc_callback" ADD CONSTRAINT "esc_callback_esc_request_id_fkey" FOREIGN KEY ("esc_request_id") REFERENCES "esc_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;
