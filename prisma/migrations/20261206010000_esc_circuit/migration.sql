-- The circuit breakers of the workers' ESC connections that are not closed (open or half open),
-- one row per connection and worker process, refreshed while it lasts; read by the gateway's
-- /health and /metrics. A row not seen for two minutes is a worker that went away.
-- CreateTable
CREATE TABLE "esc_circuit" (
    "connection_key" TEXT NOT NULL,
    "worker_id" TEXT NOT NULL,
    "connection_name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL,
    "seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "esc_circuit_pkey" PRIMARY KEY ("connection_key","worker_id")
);
