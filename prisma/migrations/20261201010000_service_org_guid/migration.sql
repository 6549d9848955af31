-- AlterTable
ALTER TABLE "service" ADD COLUMN     "org_guid" TEXT NOT NULL DEFAULT 'all';
