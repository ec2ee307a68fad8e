-- CreateTable
CREATE TABLE "Openid4vpRelay" (
    "requestId" TEXT NOT NULL,
    "transactionHash" TEXT NOT NULL,
    "openedBy" TEXT,
    "requestObject" TEXT,
    "encryptionKid" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "answerKind" TEXT,
    "answer" TEXT,
    "answerState" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Openid4vpRelay_pkey" PRIMARY KEY ("requestId")
);

-- CreateIndex
CREATE INDEX "Openid4vpRelay_expiresAt_idx" ON "Openid4vpRelay"("expiresAt");

-- CreateIndex
CREATE INDEX "Openid4vpRelay_openedBy_idx" ON "Openid4vpRelay"("openedBy");

