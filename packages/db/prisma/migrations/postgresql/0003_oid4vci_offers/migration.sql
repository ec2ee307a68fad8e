-- AlterTable
ALTER TABLE "Offer" DROP COLUMN "cNonce",
DROP COLUMN "cNonceExpiresAt",
ADD COLUMN     "accessTokenUsedAt" TIMESTAMP(3),
ADD COLUMN     "credentialConfigurationId" TEXT NOT NULL DEFAULT 'EntitlementCredential_jwt_vc_json',
ADD COLUMN     "holderDid" TEXT;

-- CreateTable
CREATE TABLE "Nonce" (
    "hash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "Nonce_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE INDEX "Nonce_expiresAt_idx" ON "Nonce"("expiresAt");

