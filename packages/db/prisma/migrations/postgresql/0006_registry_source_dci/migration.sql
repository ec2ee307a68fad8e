-- AlterTable
ALTER TABLE "RegistrySource" ADD COLUMN     "config" TEXT,
ADD COLUMN     "secret" TEXT;

