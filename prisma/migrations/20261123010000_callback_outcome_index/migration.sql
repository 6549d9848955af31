-- CreateIndex
CREATE INDEX "esc_callback_outcome_idx" ON "esc_callback"("outcome");
