-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "oidcSubject" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "disabledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "UserRole" (
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    PRIMARY KEY ("userId", "role"),
    CONSTRAINT "UserRole_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "details" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME
);

-- CreateTable
CREATE TABLE "RegistrySource" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'csv',
    "mapping" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sourceId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedBy" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "bytesTotal" INTEGER NOT NULL DEFAULT 0,
    "bytesRead" INTEGER NOT NULL DEFAULT 0,
    "rowsRead" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    CONSTRAINT "ImportRun_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "RegistrySource" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ImportRowError" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "row" INTEGER NOT NULL,
    "column" TEXT,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    CONSTRAINT "ImportRowError_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ImportRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Beneficiary" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ref" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "registryIdHash" TEXT NOT NULL,
    "displayName" TEXT,
    "area" TEXT,
    "householdSize" INTEGER,
    "povertyScore" REAL,
    "enrolment" TEXT NOT NULL DEFAULT 'active',
    "attributes" TEXT NOT NULL DEFAULT '{}',
    "rowHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Beneficiary_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "RegistrySource" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Programme" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "benefitType" TEXT NOT NULL,
    "currency" TEXT,
    "item" TEXT,
    "unit" TEXT,
    "description" TEXT,
    "area" TEXT,
    "redemption" TEXT NOT NULL DEFAULT 'single',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Cycle" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "programmeId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "validFrom" DATETIME NOT NULL,
    "validUntil" DATETIME NOT NULL,
    "amount" TEXT,
    "quantity" TEXT,
    "rule" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "preparedBy" TEXT NOT NULL,
    "preparedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedBy" TEXT,
    "approvedAt" DATETIME,
    "issuedAt" DATETIME,
    "closedAt" DATETIME,
    CONSTRAINT "Cycle_programmeId_fkey" FOREIGN KEY ("programmeId") REFERENCES "Programme" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Entitlement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cycleId" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "statusList" INTEGER NOT NULL,
    "statusIndex" INTEGER NOT NULL,
    "credential" TEXT,
    "holderDid" TEXT,
    "issuedAt" DATETIME,
    "statusReason" TEXT,
    "statusChangedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Entitlement_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Entitlement_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IssuanceJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cycleId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "workerId" TEXT,
    "heartbeatAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "throughput" REAL,
    "error" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IssuanceJob_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StatusList" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "list" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bits" BLOB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "credential" TEXT,
    "signedVersion" INTEGER NOT NULL DEFAULT -1,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "IssuerKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "did" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "encryptedPrivateKey" TEXT NOT NULL,
    "kekId" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "entitlementId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "txCodeHash" TEXT,
    "txCodeAttempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "redeemedAt" DATETIME,
    "accessTokenHash" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "cNonce" TEXT,
    "cNonceExpiresAt" DATETIME,
    "credentialIssuedAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Offer_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Receipt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "entitlementId" TEXT,
    "cycleId" TEXT,
    "credentialId" TEXT,
    "beneficiaryRef" TEXT,
    "servicePoint" TEXT NOT NULL,
    "device" TEXT,
    "verifierDid" TEXT NOT NULL,
    "amount" TEXT,
    "quantity" TEXT,
    "redeemedAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "jws" TEXT NOT NULL,
    "doubleRedemption" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Receipt_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_oidcSubject_key" ON "User"("oidcSubject");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_prevHash_key" ON "AuditEvent"("prevHash");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");

-- CreateIndex
CREATE INDEX "AuditEvent_subject_idx" ON "AuditEvent"("subject");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "RegistrySource_name_key" ON "RegistrySource"("name");

-- CreateIndex
CREATE INDEX "ImportRun_sourceId_startedAt_idx" ON "ImportRun"("sourceId", "startedAt");

-- CreateIndex
CREATE INDEX "ImportRowError_runId_row_idx" ON "ImportRowError"("runId", "row");

-- CreateIndex
CREATE UNIQUE INDEX "Beneficiary_ref_key" ON "Beneficiary"("ref");

-- CreateIndex
CREATE INDEX "Beneficiary_area_idx" ON "Beneficiary"("area");

-- CreateIndex
CREATE INDEX "Beneficiary_enrolment_idx" ON "Beneficiary"("enrolment");

-- CreateIndex
CREATE UNIQUE INDEX "Beneficiary_sourceId_registryIdHash_key" ON "Beneficiary"("sourceId", "registryIdHash");

-- CreateIndex
CREATE UNIQUE INDEX "Programme_code_key" ON "Programme"("code");

-- CreateIndex
CREATE INDEX "Cycle_state_idx" ON "Cycle"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_programmeId_code_key" ON "Cycle"("programmeId", "code");

-- CreateIndex
CREATE INDEX "Entitlement_cycleId_status_idx" ON "Entitlement"("cycleId", "status");

-- CreateIndex
CREATE INDEX "Entitlement_beneficiaryId_idx" ON "Entitlement"("beneficiaryId");

-- CreateIndex
CREATE UNIQUE INDEX "Entitlement_cycleId_beneficiaryId_key" ON "Entitlement"("cycleId", "beneficiaryId");

-- CreateIndex
CREATE UNIQUE INDEX "Entitlement_statusList_statusIndex_key" ON "Entitlement"("statusList", "statusIndex");

-- CreateIndex
CREATE INDEX "IssuanceJob_cycleId_idx" ON "IssuanceJob"("cycleId");

-- CreateIndex
CREATE INDEX "IssuanceJob_state_idx" ON "IssuanceJob"("state");

-- CreateIndex
CREATE UNIQUE INDEX "StatusList_list_purpose_key" ON "StatusList"("list", "purpose");

-- CreateIndex
CREATE INDEX "IssuerKey_did_idx" ON "IssuerKey"("did");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_codeHash_key" ON "Offer"("codeHash");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_accessTokenHash_key" ON "Offer"("accessTokenHash");

-- CreateIndex
CREATE INDEX "Offer_entitlementId_idx" ON "Offer"("entitlementId");

-- CreateIndex
CREATE INDEX "Offer_expiresAt_idx" ON "Offer"("expiresAt");

-- CreateIndex
CREATE INDEX "Receipt_cycleId_servicePoint_idx" ON "Receipt"("cycleId", "servicePoint");

-- CreateIndex
CREATE INDEX "Receipt_entitlementId_idx" ON "Receipt"("entitlementId");

