-- The audit log: one row per mutating call, appended and never changed.
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "roles" TEXT[] NOT NULL,
    "method" TEXT NOT NULL,
    "call" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "target_ids" TEXT[] NOT NULL,
    "status" INTEGER NOT NULL,
    "request_id" TEXT,
    "source" TEXT,
    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "audit_entry_tenant_id_at_idx" ON "audit_entry"("tenant_id", "at");
CREATE INDEX "audit_entry_target_ids_idx" ON "audit_entry" USING GIN ("target_ids");

-- append-only: an entry is never changed or removed by the gateway, nor by anyone through SQL short of dropping the trigger
CREATE FUNCTION "audit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only';
END;
$$;
CREATE TRIGGER "audit_entry_append_only" BEFORE UPDATE OR DELETE ON "audit_entry" FOR EACH ROW EXECUTE FUNCTION "audit_entry_append_only"();
