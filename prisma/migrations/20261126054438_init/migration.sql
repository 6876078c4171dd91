-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'RESPONDER', 'RELEASE_MANAGER', 'ADMIN');

-- CreateEnum
CREATE TYPE "MetricsProvider" AS ENUM ('BUILTIN', 'PROMETHEUS');

-- CreateEnum
CREATE TYPE "MetricKind" AS ENUM ('ERROR_RATE', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'THROUGHPUT', 'AVAILABILITY');

-- CreateEnum
CREATE TYPE "RollbackStrategy" AS ENUM ('BLUE_GREEN', 'FEATURE_FLAG', 'DATABASE_RESTORE', 'CUSTOM');

-- CreateEnum
CREATE TYPE "ExecutorKind" AS ENUM ('HTTP', 'COMMAND', 'POSTGRES', 'HEALTH_CHECK', 'WAIT', 'VERIFY_METRICS', 'NOTIFY');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('SEV1', 'SEV2', 'SEV3', 'SEV4');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('DECLARED', 'ASSESSING', 'AWAITING_APPROVAL', 'APPROVED', 'ROLLING_BACK', 'VERIFYING', 'MONITORING', 'RESOLVED');

-- CreateEnum
CREATE TYPE "IncidentSource" AS ENUM ('MANUAL', 'ALERTMANAGER');

-- CreateEnum
CREATE TYPE "DecisionTier" AS ENUM ('IMMEDIATE', 'FAST', 'PLANNED', 'MONITOR');

-- CreateEnum
CREATE TYPE "DecisionStatus" AS ENUM ('PROPOSED', 'APPROVED', 'REJECTED', 'VOIDED');

-- CreateEnum
CREATE TYPE "ApprovalVerdict" AS ENUM ('APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED');

-- CreateEnum
CREATE TYPE "StepState" AS ENUM ('NOT_STARTED', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'INTERRUPTED', 'CANCELED');

-- CreateEnum
CREATE TYPE "LogStream" AS ENUM ('STDOUT', 'STDERR', 'INFO');

-- CreateEnum
CREATE TYPE "ChecklistSection" AS ENUM ('SYSTEM_HEALTH', 'CRITICAL_FUNCTIONALITY', 'DATABASE_HEALTH', 'USER_IMPACT', 'DATA_INTEGRITY', 'STABILITY');

-- CreateEnum
CREATE TYPE "ChecklistItemKind" AS ENUM ('CHECK', 'METRIC', 'FEATURE', 'NUMBER', 'TEXT');

-- CreateEnum
CREATE TYPE "ChecklistItemStatus" AS ENUM ('PENDING', 'PASSED', 'FAILED', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "SignOffRole" AS ENUM ('DEVOPS', 'TECH_LEAD', 'RELEASE_MANAGER');

-- CreateEnum
CREATE TYPE "SystemStability" AS ENUM ('STABLE', 'PARTIAL', 'UNSTABLE');

-- CreateEnum
CREATE TYPE "TimelineSource" AS ENUM ('USER', 'SYSTEM', 'ALERTMANAGER', 'EXECUTOR', 'METRICS');

-- CreateEnum
CREATE TYPE "TimelineKind" AS ENUM ('INCIDENT_DECLARED', 'INCIDENT_UPDATED', 'STATUS_CHANGED', 'SEVERITY_CHANGED', 'IMPACT_UPDATED', 'NOTE', 'EVIDENCE_FROZEN', 'DECISION_PROPOSED', 'DECISION_APPROVED', 'DECISION_REJECTED', 'DECISION_VOIDED', 'RUN_STARTED', 'STEP_STARTED', 'STEP_SUCCEEDED', 'STEP_FAILED', 'STEP_SKIPPED', 'STEP_INTERRUPTED', 'STEP_MARKED_DONE', 'RUN_ENDED', 'RUN_ABORTED', 'VERIFICATION_STARTED', 'CHECKLIST_ITEM_UPDATED', 'SIGNED_OFF', 'CHECKLIST_LOCKED', 'CHECKLIST_UNLOCKED', 'ACTION_ITEM_ADDED', 'DOCUMENT_UPDATED', 'INCIDENT_RESOLVED');

-- CreateEnum
CREATE TYPE "ActionItemPriority" AS ENUM ('P0', 'P1', 'P2', 'P3');

-- CreateEnum
CREATE TYPE "ActionItemStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'DONE', 'WONT_DO');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('RCA', 'POSTMORTEM_AGENDA', 'ROLLBACK_SUMMARY', 'VERIFICATION_REPORT');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('ALLOWED', 'DENIED', 'FAILED');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "disabledAt" TIMESTAMPTZ(6),
    "lastSignInAt" TIMESTAMPTZ(6),
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,
    "createdById" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Service" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerTeam" TEXT NOT NULL DEFAULT '',
    "metricsProvider" "MetricsProvider" NOT NULL DEFAULT 'BUILTIN',
    "prometheusUrl" TEXT,
    "prometheusQueries" JSONB NOT NULL DEFAULT '{}',
    "baselineWindowMinutes" INTEGER NOT NULL DEFAULT 60,
    "currentWindowMinutes" INTEGER NOT NULL DEFAULT 5,
    "availabilityTarget" DOUBLE PRECISION NOT NULL DEFAULT 99.9,
    "retentionDays" INTEGER NOT NULL DEFAULT 14,
    "decisionThresholds" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriticalFeature" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "probeUrl" TEXT,
    "probeMethod" TEXT NOT NULL DEFAULT 'GET',
    "expectedStatus" INTEGER NOT NULL DEFAULT 200,
    "timeoutMs" INTEGER NOT NULL DEFAULT 3000,
    "degradedLatencyMs" INTEGER NOT NULL DEFAULT 1000,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CriticalFeature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngestionToken" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(6),
    "revokedAt" TIMESTAMPTZ(6),

    CONSTRAINT "IngestionToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "serviceId" TEXT NOT NULL,
    "metric" "MetricKind" NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("serviceId","metric","ts")
);

-- CreateTable
CREATE TABLE "Release" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "previousVersion" TEXT,
    "deployedAt" TIMESTAMPTZ(6) NOT NULL,
    "deployedById" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Runbook" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "strategy" "RollbackStrategy" NOT NULL,
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" TIMESTAMPTZ(6),
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "Runbook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunbookVersion" (
    "id" TEXT NOT NULL,
    "runbookId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunbookVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "releaseId" TEXT,
    "badVersion" TEXT NOT NULL,
    "previousVersion" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'DECLARED',
    "source" "IncidentSource" NOT NULL DEFAULT 'MANUAL',
    "summary" TEXT NOT NULL DEFAULT '',
    "deployedAt" TIMESTAMPTZ(6) NOT NULL,
    "detectedAt" TIMESTAMPTZ(6) NOT NULL,
    "declaredAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(6),
    "declaredById" TEXT,
    "externalKey" TEXT,
    "usersAffected" INTEGER,
    "supportTickets" INTEGER,
    "complaints" INTEGER,
    "failedTransactions" INTEGER,
    "impactUpdatedAt" TIMESTAMPTZ(6),
    "impactUpdatedById" TEXT,
    "manualCriteria" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricBaseline" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "releaseId" TEXT,
    "metric" "MetricKind" NOT NULL,
    "windowFrom" TIMESTAMPTZ(6) NOT NULL,
    "windowTo" TIMESTAMPTZ(6) NOT NULL,
    "median" DOUBLE PRECISION NOT NULL,
    "p25" DOUBLE PRECISION NOT NULL,
    "p75" DOUBLE PRECISION NOT NULL,
    "mean" DOUBLE PRECISION NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "computedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetricBaseline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceSnapshot" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "takenAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "takenById" TEXT,
    "baselineFrom" TIMESTAMPTZ(6) NOT NULL,
    "baselineTo" TIMESTAMPTZ(6) NOT NULL,
    "currentFrom" TIMESTAMPTZ(6) NOT NULL,
    "currentTo" TIMESTAMPTZ(6) NOT NULL,
    "metrics" JSONB NOT NULL,
    "criteria" JSONB NOT NULL,
    "probes" JSONB NOT NULL,
    "impact" JSONB NOT NULL,

    CONSTRAINT "EvidenceSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "tier" "DecisionTier" NOT NULL,
    "recommendedTier" "DecisionTier" NOT NULL,
    "strategy" "RollbackStrategy" NOT NULL,
    "reason" TEXT NOT NULL,
    "decidedById" TEXT NOT NULL,
    "decidedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "evidenceId" TEXT NOT NULL,
    "runbookVersionId" TEXT,
    "plan" JSONB NOT NULL,
    "planHash" TEXT NOT NULL,
    "requiredApprovals" INTEGER NOT NULL DEFAULT 1,
    "status" "DecisionStatus" NOT NULL DEFAULT 'PROPOSED',
    "statusChangedAt" TIMESTAMPTZ(6),
    "statusReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "approverId" TEXT NOT NULL,
    "verdict" "ApprovalVerdict" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "planHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RollbackRun" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "planHash" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'PENDING',
    "startedById" TEXT,
    "startedAt" TIMESTAMPTZ(6),
    "endedAt" TIMESTAMPTZ(6),
    "abortedById" TEXT,
    "abortReason" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RollbackRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RollbackStep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "executor" "ExecutorKind" NOT NULL,
    "config" JSONB NOT NULL,
    "destructive" BOOLEAN NOT NULL DEFAULT false,
    "changesTraffic" BOOLEAN NOT NULL DEFAULT false,
    "state" "StepState" NOT NULL DEFAULT 'NOT_STARTED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT,
    "queuedAt" TIMESTAMPTZ(6),
    "startedAt" TIMESTAMPTZ(6),
    "endedAt" TIMESTAMPTZ(6),
    "lastActorId" TEXT,
    "resultNote" TEXT,
    "error" TEXT,
    "output" JSONB,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RollbackStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StepExecution" (
    "id" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "state" "StepState" NOT NULL,
    "requestedById" TEXT,
    "jobId" TEXT,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMPTZ(6),
    "startedAt" TIMESTAMPTZ(6),
    "endedAt" TIMESTAMPTZ(6),
    "exitCode" INTEGER,
    "httpStatus" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StepExecution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StepLogLine" (
    "id" BIGSERIAL NOT NULL,
    "stepId" TEXT NOT NULL,
    "executionId" TEXT,
    "ts" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stream" "LogStream" NOT NULL,
    "line" TEXT NOT NULL,

    CONSTRAINT "StepLogLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistTemplate" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT,
    "name" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "updatedById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ChecklistTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checklist" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "templateId" TEXT,
    "startedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedById" TEXT,
    "lockedAt" TIMESTAMPTZ(6),
    "lockedById" TEXT,
    "signOffWaivedReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Checklist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistItem" (
    "id" TEXT NOT NULL,
    "checklistId" TEXT NOT NULL,
    "section" "ChecklistSection" NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "kind" "ChecklistItemKind" NOT NULL,
    "metric" "MetricKind",
    "tolerance" DOUBLE PRECISION,
    "absoluteMax" DOUBLE PRECISION,
    "notBefore" TIMESTAMPTZ(6),
    "status" "ChecklistItemStatus" NOT NULL DEFAULT 'PENDING',
    "value" TEXT,
    "note" TEXT,
    "autoSatisfied" BOOLEAN NOT NULL DEFAULT false,
    "satisfiedValue" DOUBLE PRECISION,
    "satisfiedAt" TIMESTAMPTZ(6),
    "isOverride" BOOLEAN NOT NULL DEFAULT false,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistItemChange" (
    "id" BIGSERIAL NOT NULL,
    "itemId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ChecklistItemStatus" NOT NULL,
    "value" TEXT,
    "note" TEXT,
    "isOverride" BOOLEAN NOT NULL DEFAULT false,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "changedById" TEXT,
    "changedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChecklistItemChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignOff" (
    "id" TEXT NOT NULL,
    "checklistId" TEXT NOT NULL,
    "role" "SignOffRole" NOT NULL,
    "userId" TEXT NOT NULL,
    "rollbackSuccessful" BOOLEAN NOT NULL,
    "systemStable" "SystemStability" NOT NULL,
    "outstandingIssues" TEXT NOT NULL DEFAULT '',
    "comments" TEXT NOT NULL DEFAULT '',
    "signedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignOff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "source" "TimelineSource" NOT NULL,
    "kind" "TimelineKind" NOT NULL,
    "message" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT,
    "dueDate" TIMESTAMPTZ(6),
    "priority" "ActionItemPriority" NOT NULL DEFAULT 'P2',
    "status" "ActionItemStatus" NOT NULL DEFAULT 'OPEN',
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(6),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "title" TEXT NOT NULL,
    "runId" TEXT,
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentVersion" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "markdown" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "actorRole" "Role",
    "action" TEXT NOT NULL,
    "outcome" "AuditOutcome" NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "incidentId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE UNIQUE INDEX "Service_slug_key" ON "Service"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "CriticalFeature_serviceId_name_key" ON "CriticalFeature"("serviceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "IngestionToken_tokenHash_key" ON "IngestionToken"("tokenHash");

-- CreateIndex
CREATE INDEX "IngestionToken_serviceId_idx" ON "IngestionToken"("serviceId");

-- CreateIndex
CREATE INDEX "Release_serviceId_deployedAt_idx" ON "Release"("serviceId", "deployedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Release_serviceId_version_deployedAt_key" ON "Release"("serviceId", "version", "deployedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Runbook_serviceId_name_key" ON "Runbook"("serviceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "RunbookVersion_runbookId_version_key" ON "RunbookVersion"("runbookId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_number_key" ON "Incident"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_externalKey_key" ON "Incident"("externalKey");

-- CreateIndex
CREATE INDEX "Incident_status_declaredAt_idx" ON "Incident"("status", "declaredAt" DESC);

-- CreateIndex
CREATE INDEX "Incident_serviceId_declaredAt_idx" ON "Incident"("serviceId", "declaredAt" DESC);

-- CreateIndex
CREATE INDEX "Incident_severity_idx" ON "Incident"("severity");

-- CreateIndex
CREATE INDEX "Incident_declaredAt_idx" ON "Incident"("declaredAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "MetricBaseline_serviceId_releaseId_metric_windowFrom_window_key" ON "MetricBaseline"("serviceId", "releaseId", "metric", "windowFrom", "windowTo");

-- CreateIndex
CREATE INDEX "EvidenceSnapshot_incidentId_takenAt_idx" ON "EvidenceSnapshot"("incidentId", "takenAt");

-- CreateIndex
CREATE UNIQUE INDEX "Decision_evidenceId_key" ON "Decision"("evidenceId");

-- CreateIndex
CREATE INDEX "Decision_incidentId_decidedAt_idx" ON "Decision"("incidentId", "decidedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Approval_decisionId_approverId_planHash_key" ON "Approval"("decisionId", "approverId", "planHash");

-- CreateIndex
CREATE INDEX "RollbackRun_incidentId_createdAt_idx" ON "RollbackRun"("incidentId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "RollbackStep_idempotencyKey_key" ON "RollbackStep"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "RollbackStep_runId_position_key" ON "RollbackStep"("runId", "position");

-- CreateIndex
CREATE INDEX "StepExecution_state_idx" ON "StepExecution"("state");

-- CreateIndex
CREATE UNIQUE INDEX "StepExecution_stepId_attempt_key" ON "StepExecution"("stepId", "attempt");

-- CreateIndex
CREATE INDEX "StepLogLine_stepId_id_idx" ON "StepLogLine"("stepId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistTemplate_serviceId_name_key" ON "ChecklistTemplate"("serviceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Checklist_incidentId_key" ON "Checklist"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistItem_checklistId_position_key" ON "ChecklistItem"("checklistId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistItemChange_itemId_version_key" ON "ChecklistItemChange"("itemId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "SignOff_checklistId_role_key" ON "SignOff"("checklistId", "role");

-- CreateIndex
CREATE INDEX "TimelineEvent_incidentId_at_idx" ON "TimelineEvent"("incidentId", "at");

-- CreateIndex
CREATE INDEX "ActionItem_ownerId_status_idx" ON "ActionItem"("ownerId", "status");

-- CreateIndex
CREATE INDEX "ActionItem_incidentId_idx" ON "ActionItem"("incidentId");

-- CreateIndex
CREATE INDEX "ActionItem_status_dueDate_idx" ON "ActionItem"("status", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "Document_incidentId_kind_runId_key" ON "Document"("incidentId", "kind", "runId");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentVersion_documentId_version_key" ON "DocumentVersion"("documentId", "version");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at" DESC);

-- CreateIndex
CREATE INDEX "AuditLog_entityType_entityId_idx" ON "AuditLog"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditLog_incidentId_at_idx" ON "AuditLog"("incidentId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_at_idx" ON "AuditLog"("actorId", "at");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriticalFeature" ADD CONSTRAINT "CriticalFeature_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestionToken" ADD CONSTRAINT "IngestionToken_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestionToken" ADD CONSTRAINT "IngestionToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricSample" ADD CONSTRAINT "MetricSample_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_deployedById_fkey" FOREIGN KEY ("deployedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Runbook" ADD CONSTRAINT "Runbook_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunbookVersion" ADD CONSTRAINT "RunbookVersion_runbookId_fkey" FOREIGN KEY ("runbookId") REFERENCES "Runbook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunbookVersion" ADD CONSTRAINT "RunbookVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_declaredById_fkey" FOREIGN KEY ("declaredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_impactUpdatedById_fkey" FOREIGN KEY ("impactUpdatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricBaseline" ADD CONSTRAINT "MetricBaseline_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricBaseline" ADD CONSTRAINT "MetricBaseline_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceSnapshot" ADD CONSTRAINT "EvidenceSnapshot_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceSnapshot" ADD CONSTRAINT "EvidenceSnapshot_takenById_fkey" FOREIGN KEY ("takenById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "EvidenceSnapshot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackRun" ADD CONSTRAINT "RollbackRun_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackRun" ADD CONSTRAINT "RollbackRun_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackRun" ADD CONSTRAINT "RollbackRun_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackRun" ADD CONSTRAINT "RollbackRun_abortedById_fkey" FOREIGN KEY ("abortedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackStep" ADD CONSTRAINT "RollbackStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "RollbackRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackStep" ADD CONSTRAINT "RollbackStep_lastActorId_fkey" FOREIGN KEY ("lastActorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepExecution" ADD CONSTRAINT "StepExecution_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "RollbackStep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepExecution" ADD CONSTRAINT "StepExecution_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepLogLine" ADD CONSTRAINT "StepLogLine_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "RollbackStep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepLogLine" ADD CONSTRAINT "StepLogLine_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "StepExecution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistTemplate" ADD CONSTRAINT "ChecklistTemplate_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistTemplate" ADD CONSTRAINT "ChecklistTemplate_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checklist" ADD CONSTRAINT "Checklist_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checklist" ADD CONSTRAINT "Checklist_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "ChecklistTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checklist" ADD CONSTRAINT "Checklist_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checklist" ADD CONSTRAINT "Checklist_lockedById_fkey" FOREIGN KEY ("lockedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_checklistId_fkey" FOREIGN KEY ("checklistId") REFERENCES "Checklist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItemChange" ADD CONSTRAINT "ChecklistItemChange_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ChecklistItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItemChange" ADD CONSTRAINT "ChecklistItemChange_changedById_fkey" FOREIGN KEY ("changedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOff" ADD CONSTRAINT "SignOff_checklistId_fkey" FOREIGN KEY ("checklistId") REFERENCES "Checklist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignOff" ADD CONSTRAINT "SignOff_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentVersion" ADD CONSTRAINT "DocumentVersion_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentVersion" ADD CONSTRAINT "DocumentVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE, so
-- not even a bug (or a compromised app account without DDL rights) can rewrite history.
CREATE FUNCTION backout_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION backout_audit_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION backout_audit_append_only();
