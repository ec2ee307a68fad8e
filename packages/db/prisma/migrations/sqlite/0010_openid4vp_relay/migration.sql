-- CreateTable
CREATE TABLE "Openid4vpRelay" (
    "requestId" TEXT NOT NULL PRIMARY KEY,
    "transactionHash" TEXT NOT NULL,
    "openedBy" TEXT,
    "requestObject" TEXT,
    "encryptionKid" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "answerKind" TEXT,
    "answer" TEXT,
    "answerState" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Openid4vpRelay_expiresAt_idx" ON "Openid4vpRelay"("expiresAt");

-- CreateIndex
CREATE INDEX "Openid4vpRelay_openedBy_idx" ON "Openid4vpRelay"("openedBy");

