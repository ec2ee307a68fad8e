-- AlterTable
ALTER TABLE "Programme" ADD COLUMN "contact" TEXT;

-- CreateTable
CREATE TABLE "Area" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

