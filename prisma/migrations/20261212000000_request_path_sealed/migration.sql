-- A resthook's URL may carry a secured value (a query parameter, say): kept masked, and sealed whole beside.
ALTER TABLE "esc_request" ADD COLUMN "path_sealed" TEXT;
