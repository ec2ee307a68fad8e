-- AlterTable
ALTER TABLE "RegistrySource" ADD COLUMN "config" TEXT;
ALTER TABLE "RegistrySource" ADD COLUMN "secret" TEXT;

