// Every server action, refused from the attacker's side. The test walks every "use server" module
// of the app: each exported action must be a change-path action (lib/safe-action.ts changeAction)
// or be named below with the reason it is not a change. For each change it runs a caller who must
// be refused — a stakeholder (the role with no write permission) with an input that is otherwise
// valid and names real records, so that a missing role check would really change something — and
// asserts: refused, nothing in the database changed, exactly one DENIED audit row. The same for
// every other role that lacks the change's permission (the role × action matrix), so an action
// added later is covered by this test without a line of its own but its input.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Role } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { can, ROLES } from "@/lib/auth/roles";
import { DEFAULT_TEMPLATE } from "@/lib/checklist/template-schema";
import { getDb } from "@/lib/db";
import { type Change, registeredChanges } from "@/lib/incidents/change";
import { ACTION_CHANGES } from "@/lib/safe-action";
import { makeService, makeUser } from "@/lib/testing/factories";
import { makeLearningRecords } from "@/lib/testing/learning";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Server actions that are not changes of a record, and why. */
const NOT_CHANGES: Record<string, string> = {
  signInAction: "signing in creates no record; its refusals are the sign-in form's (rate limit and audit: security issue)",
  signInWithSsoAction:
    "starts the caller's own single sign-on at the identity provider; the sign-in itself is checked and audited in lib/auth/oidc-sign-in.ts",
  signOutAction: "ends the caller's own session; nobody else's to refuse",
  signOutEverywhereAction: "ends the caller's own sessions; nobody else's to refuse",
  setTimesInUtcAction: "the caller's own display preference (UTC or their zone); nobody else's to refuse",
};

function serverActionModules(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) continue;
    if (statSync(full).isDirectory()) found.push(...serverActionModules(full));
    else if (/\.tsx?$/.test(name) && !name.includes(".test.") && /^\s*["']use server["']/m.test(readFileSync(full, "utf8"))) {
      found.push(full);
    }
  }
  return found;
}

type Fixture = Awaited<ReturnType<typeof makeFixture>>;

async function makeFixture() {
  const db = getDb();
  const rolled = await makeRolledBackIncident({ features: ["Checkout works"] });
  const admin = await makeUser("ADMIN");
  const responder = await makeUser("RESPONDER");
  const victim = await makeUser("RESPONDER");
  const service = await makeService();
  const feature = await db.criticalFeature.create({ data: { serviceId: service.id, name: "Log in", position: 0 } });
  const token = await db.ingestionToken.create({
    data: { serviceId: service.id, name: "exporter", tokenHash: `hash-${service.id}`, prefix: "bo_test" },
  });
  const apiToken = await db.apiToken.create({
    data: {
      name: "deploy bot",
      kind: "PERSONAL",
      scope: "WRITE",
      userId: victim.id,
      tokenHash: `api-hash-${service.id}`,
      prefix: "bo_api_test",
    },
  });
  const alertmanager = await db.alertmanagerIntegration.create({
    data: { name: "prod alertmanager", tokenHash: `am-hash-${service.id}`, prefix: "bo_am_test", accountId: victim.id },
  });
  // Filtered to the fixture's fresh service: no other test's incident is ever delivered to it.
  const destination = await db.notificationDestination.create({
    data: {
      name: `refusal destination ${service.id}`,
      format: "SLACK",
      url: "https://hooks.example.com/x",
      urlHost: "hooks.example.com",
      events: ["INCIDENT_DECLARED"],
      serviceId: service.id,
    },
  });
  const runbook = await db.runbook.create({
    data: { serviceId: service.id, name: "Blue-green", strategy: "BLUE_GREEN", currentVersion: 1 },
  });
  await db.runbookVersion.create({ data: { runbookId: runbook.id, version: 1, steps: [], createdById: admin.id } });
  const step = await db.rollbackStep.findFirstOrThrow({ where: { runId: rolled.run.id } });
  const decision = await db.decision.findFirstOrThrow({ where: { incidentId: rolled.incident.id } });
  const incident = await db.incident.findUniqueOrThrow({ where: { id: rolled.incident.id } });
  // A checklist to edit and sign: started by a responder, as the product does.
  const { startVerification } = await import("@/lib/checklist/mutations");
  await startVerification(responder, { incidentId: incident.id });
  const checklist = await db.checklist.findUniqueOrThrow({ where: { incidentId: incident.id }, include: { items: true } });
  const item = checklist.items[0];
  if (!item) throw new Error("the checklist has no items");
  const serviceRow = await db.service.findUniqueOrThrow({ where: { id: service.id } });
  const actionItem = await db.actionItem.create({
    data: {
      incidentId: incident.id,
      title: "Alert on pool exhaustion",
      ownerId: victim.id,
      priority: "HIGH",
      verification: "An alert fires",
    },
  });
  const shareLink = await db.shareLink.create({
    data: {
      incidentId: incident.id,
      tokenHash: `hash-share-${incident.id}`,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  // The incident's root-cause analysis, generated by a responder.
  const { generateRca } = await import("@/lib/rca/mutations");
  const rca = await generateRca(responder, { incidentId: incident.id });
  const timelineEvent = await db.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id } });
  const learning = await makeLearningRecords(incident.id, runbook.id, responder.id);
  const delivery = await db.notificationDelivery.create({
    data: {
      destinationId: destination.id,
      event: "INCIDENT_DECLARED",
      incidentId: incident.id,
      payload: {},
      status: "FAILED",
      attempts: 3,
    },
  });
  return {
    destination,
    delivery,
    rolled,
    incident,
    step,
    decision,
    checklist,
    item,
    service: serviceRow,
    feature,
    token,
    apiToken,
    alertmanager,
    runbook,
    victim,
    admin,
    timelineEvent,
    actionItem,
    shareLink,
    rca,
    learning,
  };
}

const KEY = "refusal-test-key-0001";

/** A valid input, naming the fixture's records, for each server action. */
const INPUTS: Record<string, (f: Fixture) => unknown> = {
  addTimelineNoteAction: (f) => ({
    incidentId: f.incident.id,
    text: "First customer report",
    at: new Date(Date.now() - 3_600_000).toISOString(),
  }),
  starTimelineEventAction: (f) => ({ eventId: f.timelineEvent.id, starred: true }),
  declareIncidentAction: (f) => ({
    title: "Checkout is failing for everyone",
    serviceId: f.service.id,
    badVersion: "v9",
    previousVersion: "v8",
    severity: "SEV2",
    deployedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    detectedAt: new Date(Date.now() - 20 * 60_000).toISOString(),
    summary: "",
  }),
  updateImpactAction: (f) => ({
    incidentId: f.incident.id,
    version: f.incident.version,
    usersAffected: "100",
    supportTickets: "",
    complaints: "",
    failedTransactions: "",
  }),
  resolveIncidentAction: (f) => ({
    incidentId: f.incident.id,
    version: f.incident.version,
    resolution: "Rolled back and verified",
    waiveSignOffReason: "The team verified it by hand.",
  }),
  proposeDecisionAction: (f) => ({
    incidentId: f.incident.id,
    tier: "FAST",
    strategy: "BLUE_GREEN",
    reason: "Error rate is far above baseline",
  }),
  approveDecisionAction: (f) => ({ decisionId: f.decision.id, planHash: f.decision.planHash, confirmation: "" }),
  approveAndStartAction: (f) => ({ decisionId: f.decision.id, planHash: f.decision.planHash, confirmation: "", idempotencyKey: KEY }),
  rejectDecisionAction: (f) => ({ decisionId: f.decision.id, reason: "Not convinced by the evidence" }),
  changePlanAction: (f) => ({ decisionId: f.decision.id, removeStepKey: "switch" }),
  setManualCriterionAction: (f) => ({ incidentId: f.incident.id, criterionId: "data-corruption", checked: true, note: "" }),
  startRunAction: (f) => ({ decisionId: f.decision.id, planHash: f.decision.planHash }),
  startRunUntilAction: (f) => ({ decisionId: f.decision.id, planHash: f.decision.planHash, idempotencyKey: KEY }),
  requestStepAction: (f) => ({ stepId: f.step.id, idempotencyKey: KEY, confirmation: "" }),
  runUntilDestructiveAction: (f) => ({ runId: f.rolled.run.id, idempotencyKey: KEY, stepIds: [f.step.id] }),
  stopRunUntilAction: (f) => ({ runId: f.rolled.run.id, incidentId: f.incident.id }),
  retryStepAction: (f) => ({ stepId: f.step.id, idempotencyKey: KEY, note: "", confirmation: "" }),
  markStepDoneAction: (f) => ({ stepId: f.step.id, note: "Checked by hand" }),
  skipStepAction: (f) => ({ stepId: f.step.id, note: "Not needed here" }),
  stopStepAction: (f) => ({ stepId: f.step.id, reason: "The command hangs" }),
  abortRunAction: (f) => ({ runId: f.rolled.run.id, reason: "Wrong plan" }),
  startVerificationAction: (f) => ({ incidentId: f.incident.id }),
  updateChecklistItemAction: (f) => ({ itemId: f.item.id, version: f.item.version, status: "PASSED" }),
  signOffAction: (f) => ({
    checklistId: f.checklist.id,
    role: "DEVOPS",
    rollbackSuccessful: true,
    systemStable: "STABLE",
    outstandingIssues: "",
    comments: "",
  }),
  unlockChecklistAction: (f) => ({ checklistId: f.checklist.id, reason: "A metric regressed after the sign-off" }),
  renderReportAction: (f) => ({ incidentId: f.incident.id }),
  saveChecklistTemplateAction: (f) => ({ serviceId: f.service.id, version: 0, itemsJson: JSON.stringify(DEFAULT_TEMPLATE) }),
  updateMetricsSettingsAction: (f) => ({
    serviceId: f.service.id,
    version: f.service.version,
    metricsProvider: "BUILTIN",
    baselineWindowMinutes: "60",
    currentWindowMinutes: "5",
    availabilityTarget: "99.9",
    retentionDays: "30",
  }),
  addCriticalFeatureAction: (f) => ({ serviceId: f.service.id, name: "Search works" }),
  removeCriticalFeatureAction: (f) => ({ featureId: f.feature.id }),
  createIngestionTokenAction: (f) => ({ serviceId: f.service.id, name: "another exporter" }),
  revokeIngestionTokenAction: (f) => ({ tokenId: f.token.id }),
  updateDecisionThresholdsAction: (f) => ({ serviceId: f.service.id, version: f.service.version, values: { fastErrorRate: "0.1" } }),
  updateVerdictMaterialityAction: (f) => ({
    serviceId: f.service.id,
    version: f.service.version,
    values: { "LATENCY_P99.relative": "0.1" },
  }),
  validateRunbookAction: (f) => ({ serviceId: f.service.id, strategy: "BLUE_GREEN", steps: [] }),
  createRunbookAction: (f) => ({ serviceId: f.service.id, name: "Another runbook", strategy: "CUSTOM", steps: [], note: "" }),
  saveRunbookAction: (f) => ({ runbookId: f.runbook.id, baseVersion: 1, steps: [], note: "" }),
  archiveRunbookAction: (f) => ({ runbookId: f.runbook.id }),
  unarchiveRunbookAction: (f) => ({ runbookId: f.runbook.id }),
  createUserAction: () => ({ email: "intruder@test.local", name: "Intruder", role: "ADMIN", password: "a-long-enough-password" }),
  changeRoleAction: (f) => ({ userId: f.victim.id, role: "ADMIN" }),
  disableUserAction: (f) => ({ userId: f.victim.id }),
  enableUserAction: (f) => ({ userId: f.victim.id }),
  endUserSessionsAction: (f) => ({ userId: f.victim.id }),
  createActionItemAction: (f) => ({
    incidentId: f.incident.id,
    title: "Add DATABASE_POOL_SIZE to the manifest",
    ownerId: f.victim.id,
    dueDay: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    priority: "HIGH",
    horizon: "IMMEDIATE",
    verification: "Staging refuses a deploy without it",
    link: { kind: "runbook", runbookId: f.runbook.id },
  }),
  updateActionItemAction: (f) => ({
    id: f.actionItem.id,
    version: f.actionItem.version,
    title: "Taken over",
    ownerId: f.admin.id,
    dueDay: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    priority: "LOW",
    horizon: "LONG_TERM",
    verification: "Nobody checks",
    link: { kind: "url", url: "https://example.com/" },
  }),
  setActionItemStatusAction: (f) => ({
    id: f.actionItem.id,
    version: f.actionItem.version,
    status: "DONE",
    completionNote: "Closed by someone who may not",
  }),
  createApiTokenAction: (f) => ({ name: "intruder", kind: "PERSONAL", userId: f.victim.id, scope: "WRITE", expiresInDays: 0 }),
  revokeApiTokenAction: (f) => ({ tokenId: f.apiToken.id }),
  createAlertmanagerIntegrationAction: () => ({
    name: "intruder",
    serviceLabel: "service",
    defaultSeverity: "SEV1",
    suspectWindowMinutes: 30,
  }),
  revokeAlertmanagerIntegrationAction: (f) => ({ integrationId: f.alertmanager.id }),
  createNotificationDestinationAction: () => ({
    name: "intruder",
    format: "SIGNED_JSON",
    url: "https://attacker.example/hook",
    events: ["INCIDENT_DECLARED", "DECISION_PROPOSED"],
  }),
  disableNotificationDestinationAction: (f) => ({ destinationId: f.destination.id }),
  resendNotificationDeliveryAction: (f) => ({ deliveryId: f.delivery.id }),
  generateAgendaAction: (f) => ({ incidentId: f.incident.id, withinHours: "48", skipWeekends: "on" }),
  proposeRevisionAction: (f) => ({
    actionItemId: f.learning.actionItem.id,
    runbookId: f.runbook.id,
    baseVersion: 1,
    steps: JSON.stringify([{ key: "wait", name: "Wait", executor: "WAIT", config: { seconds: 1 } }]),
    lesson: "Check the pool size first",
    note: "",
  }),
  publishRevisionAction: (f) => ({ revisionId: f.learning.revision.id }),
  declineRevisionAction: (f) => ({ revisionId: f.learning.revision.id, reason: "Belongs in the deploy pipeline" }),
  savePlanAction: (f) => ({
    incidentId: f.incident.id,
    basedOn: 0,
    fixedVersion: "v3",
    fix: "The pool size is read from the environment",
    validation: "Start-up refuses a pool that is too small",
    stagingTest: "Load test at twice the peak for 30 minutes",
    targetDate: "2026-12-24",
    strategy: "CANARY",
  }),
  postStatusUpdateAction: (f) => ({
    incidentId: f.incident.id,
    after: 0,
    status: "Checkout works again for most people",
    impact: "About 5 % of checkouts failed for 20 minutes",
    actions: "Verifying the rollback",
    nextUpdateInMinutes: 30,
  }),
  createShareLinkAction: (f) => ({ incidentId: f.incident.id, expiresInDays: 7, showNames: true }),
  revokeShareLinkAction: (f) => ({ shareLinkId: f.shareLink.id }),
  generateRcaAction: (f) => ({ incidentId: f.incident.id }),
  saveRcaSectionAction: (f) => ({ documentId: f.rca.documentId, section: "whatHappened", rev: 0, value: "The release broke checkout." }),
  markRcaCompletedAction: (f) => ({ documentId: f.rca.documentId, version: f.rca.version }),
  markRcaReviewedAction: (f) => ({ documentId: f.rca.documentId, version: f.rca.version }),
  markRcaApprovedAction: (f) => ({ documentId: f.rca.documentId, version: f.rca.version }),
};

/** Every table but the audit log, hashed row by row: equal fingerprints mean nothing changed. */
async function fingerprint(): Promise<string> {
  const db = getDb();
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('AuditLog', '_prisma_migrations')
    ORDER BY table_name`;
  const parts: string[] = [];
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ h: string | null }[]>(
      `SELECT md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS h FROM "${name.replaceAll('"', '""')}" t`,
    );
    parts.push(`${name}:${row?.h ?? "empty"}`);
  }
  return parts.join("\n");
}

const modules = serverActionModules(path.join(ROOT, "lib")).concat(serverActionModules(path.join(ROOT, "app")));
const actions: { name: string; file: string; fn: unknown }[] = [];

beforeAll(async () => {
  for (const file of modules) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) actions.push({ name, file: path.relative(ROOT, file), fn });
  }
});

describe("every server action", () => {
  it("is found (the walk is not empty)", () => {
    expect(modules.length).toBeGreaterThanOrEqual(8);
    expect(actions.length).toBeGreaterThanOrEqual(37);
  });

  it("is a change-path action, or named with the reason it is not", () => {
    const stray = actions.filter((a) => !ACTION_CHANGES.has(a.fn as object) && !(a.name in NOT_CHANGES)).map((a) => `${a.file}: ${a.name}`);
    expect(stray).toEqual([]);
  });

  it("has a refused caller in this test", () => {
    const missing = actions.filter((a) => ACTION_CHANGES.has(a.fn as object) && !(a.name in INPUTS)).map((a) => a.name);
    expect(missing).toEqual([]);
  });

  it("refuses every role without its permission (the role × action matrix): nothing changes, exactly one DENIED audit row", async () => {
    const fixture = await makeFixture();
    const db = getDb();
    const people = new Map<Role, Actor>();
    for (const role of ROLES) people.set(role, await makeUser(role));
    const changes = actions.filter((a) => ACTION_CHANGES.has(a.fn as object));
    let refusals = 0;
    for (const { name, fn } of changes) {
      const change = ACTION_CHANGES.get(fn as object) as Change<z.ZodType, unknown>;
      const input = INPUTS[name]?.(fixture);
      // The input is valid: a caller who may would not be refused for its shape.
      expect(change.schema.safeParse(input).success, `${name}: the test's input should parse`).toBe(true);
      // Every action needs some role; the stakeholder has none of the write permissions.
      const refusedRoles = ROLES.filter((role) => change.permission === "system" || !can(role, change.permission));
      expect(refusedRoles, `${name} must refuse a stakeholder`).toContain("VIEWER");
      for (const role of refusedRoles) {
        const caller = people.get(role);
        if (!caller) throw new Error(`no ${role} in the fixture`);
        const before = await fingerprint();
        const deniedBefore = await db.auditLog.count({ where: { actorId: caller.id, outcome: "DENIED" } });
        const outcome = await change.run(caller, input);
        expect(outcome.ok, `${name} must refuse ${role}`).toBe(false);
        if (!outcome.ok) expect(outcome.code, `${name} as ${role}`).toBe("forbidden");
        expect(await fingerprint(), `${name} as ${role} changed something`).toBe(before);
        const denied = await db.auditLog.findMany({ where: { actorId: caller.id, outcome: "DENIED" }, orderBy: { id: "desc" } });
        expect(denied.length - deniedBefore, `${name} as ${role}: DENIED rows`).toBe(1);
        expect(denied[0]?.action, name).toBe(change.action);
        refusals += 1;
      }
    }
    // More than the stakeholder column: responders are refused admin changes, admins approvals…
    expect(refusals).toBeGreaterThan(changes.length);
  });
});

describe("every change the code defines", () => {
  it("refuses a person for the system's own changes, and is reachable from an action otherwise", () => {
    const fromActions = new Set(actions.map((a) => (ACTION_CHANGES.get(a.fn as object) as Change<z.ZodType, unknown> | undefined)?.action));
    const unreachable = [...registeredChanges().values()]
      .filter((c) => c.permission !== "system" && !fromActions.has(c.action))
      .map((c) => c.action);
    // A person's change that no action, route or job runs would be dead code.
    expect(unreachable).toEqual([]);
  });
});
