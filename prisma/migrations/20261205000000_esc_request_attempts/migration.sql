-- Sending a request ESC could not take again: how many times it was sent, and whether an earlier
-- attempt may have reached ESC (its answer lost), in which case ESC is asked before it is sent again.
-- AlterTable
ALTER TABLE "esc_request" ADD COLUMN "send_attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "esc_request" ADD COLUMN "maybe_received" BOOLEAN NOT NULL DEFAULT false;
