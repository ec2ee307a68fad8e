-- AlterTable
ALTER TABLE "Beneficiary" ADD COLUMN     "identityFacts" TEXT;

-- AlterTable
ALTER TABLE "Programme" ADD COLUMN     "bindingKey" TEXT,
ADD COLUMN     "idBinding" TEXT NOT NULL DEFAULT 'off';

-- CreateTable
CREATE TABLE "IdentityAuthority" (
    "id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kid" TEXT,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdentityAuthority_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdentityAuthority_issuer_idx" ON "IdentityAuthority"("issuer");

