-- Issue 12, "paper and phone": how many bearer forms of an entitlement a programme keeps valid,
-- and which form each entitlement is delivered in. Columns added in place (no table rebuild: the
-- Entitlement table is the largest one, and ADD COLUMN with a constant default is instant).

-- AlterTable
ALTER TABLE "Programme" ADD COLUMN "bearerForms" TEXT NOT NULL DEFAULT 'one';

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN "bearerForm" TEXT NOT NULL DEFAULT 'paper';
