-- AlterTable
ALTER TABLE "Receipt" DROP COLUMN "verifierDid",
ADD COLUMN     "cycleCode" TEXT NOT NULL,
ADD COLUMN     "entitlementKey" TEXT NOT NULL,
ADD COLUMN     "programme" TEXT NOT NULL,
ADD COLUMN     "visualCheck" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "beneficiaryRef" SET NOT NULL,
ALTER COLUMN "device" SET NOT NULL;

-- CreateTable
CREATE TABLE "ServicePoint" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "area" TEXT,
    "programmes" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServicePoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL,
    "servicePointId" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "label" TEXT,
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Device_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrolmentCode" (
    "codeHash" TEXT NOT NULL,
    "servicePointId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnrolmentCode_pkey" PRIMARY KEY ("codeHash")
);

-- CreateIndex
CREATE INDEX "Device_servicePointId_idx" ON "Device"("servicePointId");

-- CreateIndex
CREATE INDEX "Receipt_entitlementKey_idx" ON "Receipt"("entitlementKey");

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_servicePointId_fkey" FOREIGN KEY ("servicePointId") REFERENCES "ServicePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrolmentCode" ADD CONSTRAINT "EnrolmentCode_servicePointId_fkey" FOREIGN KEY ("servicePointId") REFERENCES "ServicePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Trust bundle sequence numbers (strictly increasing, as verifiers require).
INSERT INTO "Counter" ("name", "value") VALUES ('trust-bundle', 0);
