-- Secured values at rest: an action's parameters and an ESC request's body and headers are kept
-- with their secrets masked; the values themselves are sealed (libs/secrets SecretBox) beside them.
ALTER TABLE "action_instance" ADD COLUMN "secrets_sealed" TEXT;
ALTER TABLE "esc_request" ADD COLUMN "body_sealed" TEXT;
ALTER TABLE "esc_request" ADD COLUMN "headers_sealed" TEXT;
