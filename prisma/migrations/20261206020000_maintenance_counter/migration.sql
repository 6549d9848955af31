-- Counters of what the workers' maintenance did (reconciliations, sweeps and what they re-made,
-- outbox rows relayed for a gateway), summed over every worker; /metrics serves them as counters.
-- CreateTable
CREATE TABLE "maintenance_counter" (
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "maintenance_counter_pkey" PRIMARY KEY ("name","label")
);
