-- The console's overview reads actions by status and end (failures), by type and start (deploys),
-- and ESC requests by status and send time (traffic per connection): without these, each read
-- would scan the whole tables.
CREATE INDEX "action_instance_status_finished_at_idx" ON "action_instance"("status", "finished_at");
CREATE INDEX "action_instance_type_created_at_idx" ON "action_instance"("type", "created_at");
CREATE INDEX "esc_request_status_sent_at_idx" ON "esc_request"("status", "sent_at");
