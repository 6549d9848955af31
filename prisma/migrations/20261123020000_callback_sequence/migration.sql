-- AlterTable
ALTER TABLE "esc_callback" ADD COLUMN     "seq" BIGSERIAL NOT NULL;
