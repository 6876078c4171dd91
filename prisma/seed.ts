// Demo data, importable so the start-up script and the tests share it. Idempotent: it seeds an
// empty database once and leaves a database that already has the demo users alone.

import type { Role } from "@/generated/prisma/enums";
import { hashPassword } from "@/lib/auth/password";
import type { Db, Tx } from "@/lib/db-client";

/** Demo-only credentials: printed at start-up and in the README. Never use them on a real install. */
export const DEMO_PASSWORD = "backout-demo";

export const DEMO_USERS = [
  { email: "admin@backout.demo", name: "Ada Admin", role: "ADMIN" },
  { email: "rm@backout.demo", name: "Rita Release", role: "RELEASE_MANAGER" },
  { email: "rm2@backout.demo", name: "Raj Release", role: "RELEASE_MANAGER" },
  { email: "responder@backout.demo", name: "Remy Responder", role: "RESPONDER" },
  { email: "oncall@backout.demo", name: "Olga On-call", role: "RESPONDER" },
  { email: "viewer@backout.demo", name: "Vera Stakeholder", role: "VIEWER" },
] as const satisfies readonly { email: string; name: string; role: Role }[];

const MINUTE = 60_000;

/** Where the demo fleet's router listens (demo/fleet.mjs); the critical-feature probes point there. */
export const DEMO_ROUTER_URL = process.env.DEMO_ROUTER_URL ?? "http://127.0.0.1:4100";
/** Where the demo fleet's flag service listens (demo/flag-service.mjs, Unleash's admin API). */
export const DEMO_FLAGS_URL = process.env.DEMO_FLAGS_URL ?? "http://127.0.0.1:4103";
/** The feature flag v2.5.0's new order-confirmation flow is behind (demo/flag-service.mjs). */
export const DEMO_FLAG = "new-order-confirmation";
/** The second demo incident: caused by that flag, rolled back by turning it off. */
export const DEMO_FLAG_INCIDENT_TITLE = `Order confirmations timing out since ${DEMO_FLAG} went on (v2.5.0)`;

export async function seedDemo(db: Db, now = new Date()): Promise<{ seeded: boolean }> {
  if (await db.user.findUnique({ where: { email: DEMO_USERS[0].email }, select: { id: true } })) {
    await ensureDemoRunbook(db);
    await ensureDemoFlagIncident(db, now);
    return { seeded: false };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);

  await db.$transaction(async (tx) => {
    const users = Object.fromEntries(
      await Promise.all(
        DEMO_USERS.map(
          async (u) => [u.email, await tx.user.create({ data: { ...u, passwordHash }, select: { id: true, name: true } })] as const,
        ),
      ),
    );
    const responder = users["responder@backout.demo"];
    const admin = users["admin@backout.demo"];

    const checkout = await tx.service.create({
      data: {
        slug: "checkout-service",
        name: "checkout-service",
        description: "Cart, payment hand-off and order confirmation. Demo service: runs locally as blue (v2.4.0) and green (v2.5.0).",
        ownerTeam: "Payments",
        metricsProvider: "BUILTIN",
        criticalFeatures: {
          create: [
            { name: "Users can log in", position: 0, probeUrl: `${DEMO_ROUTER_URL}/login` },
            { name: "Users can complete purchases", position: 1, probeUrl: `${DEMO_ROUTER_URL}/checkout`, degradedLatencyMs: 800 },
            { name: "API endpoints respond", position: 2, probeUrl: `${DEMO_ROUTER_URL}/api/ping` },
          ],
        },
      },
    });
    const search = await tx.service.create({
      data: { slug: "search-service", name: "search-service", description: "Product search.", ownerTeam: "Discovery" },
    });
    await tx.service.create({
      data: { slug: "notifications", name: "notifications", description: "Email and push notifications.", ownerTeam: "Platform" },
    });

    await tx.release.create({
      data: { serviceId: checkout.id, version: "v2.4.0", previousVersion: "v2.3.2", deployedAt: ago(3 * 24 * 60), deployedById: admin.id },
    });
    const badRelease = await tx.release.create({
      data: {
        serviceId: checkout.id,
        version: "v2.5.0",
        previousVersion: "v2.4.0",
        deployedAt: ago(25),
        deployedById: admin.id,
        notes: "New order-confirmation flow; connection pool settings changed.",
      },
    });
    await tx.release.create({
      data: { serviceId: search.id, version: "v1.8.2", previousVersion: "v1.8.1", deployedAt: ago(6 * 24 * 60) },
    });

    const live = { serviceId: checkout.id, release: badRelease, responder, now };
    await createLiveDemoIncident(tx, {
      ...live,
      title: "Checkout failing for ~15% of requests after v2.5.0",
      summary:
        "Error rate on checkout jumped from about 0.5% to about 15% within minutes of the v2.5.0 deploy, and p99 latency is several times its baseline. Logs show database connection pool timeouts.",
      note: "Connection pool timeouts in checkout logs since a few minutes after the deploy.",
    });

    const past = await tx.incident.create({
      data: {
        title: "Search results empty for some locales",
        serviceId: search.id,
        badVersion: "v1.8.2",
        previousVersion: "v1.8.1",
        severity: "SEV3",
        status: "RESOLVED",
        summary: "A locale fallback change returned no results for de-AT and fr-CH. Rolled back by feature flag.",
        deployedAt: ago(6 * 24 * 60),
        detectedAt: ago(6 * 24 * 60 - 40),
        declaredAt: ago(6 * 24 * 60 - 35),
        resolvedAt: ago(6 * 24 * 60 - 80),
        declaredById: responder.id,
      },
    });
    await tx.timelineEvent.createMany({
      data: [
        {
          incidentId: past.id,
          at: past.declaredAt,
          actorId: responder.id,
          source: "USER",
          kind: "INCIDENT_DECLARED",
          message: `${responder.name} declared INC-${past.number} (SEV3): search-service v1.8.2, previous v1.8.1`,
        },
        {
          incidentId: past.id,
          at: ago(6 * 24 * 60 - 80),
          actorId: responder.id,
          source: "USER",
          kind: "INCIDENT_RESOLVED",
          message: "Resolved: locale fallback flag turned off, results back for all locales.",
        },
      ],
    });
    // After the past one, so that the demo's existing numbers stay: INC-1 and INC-2 as before, this one INC-3.
    await createLiveDemoIncident(tx, { ...live, ...DEMO_FLAG_INCIDENT });
  });
  await ensureDemoRunbook(db);
  return { seeded: true };
}

/** The second live demo incident: v2.5.0 seen from its feature flag (the feature-flag rollback's walk-through). */
const DEMO_FLAG_INCIDENT = {
  title: DEMO_FLAG_INCIDENT_TITLE,
  summary: `v2.5.0 shipped its new order-confirmation flow behind the feature flag ${DEMO_FLAG}, on in production. Since then about 15% of checkouts fail after a 1.2 s wait for a database connection: the new flow holds its connection far longer. Turning the flag off brings back the old flow without a redeploy.`,
  note: `The timeouts are all in the new order-confirmation flow, which is behind ${DEMO_FLAG} (on in production).`,
};

/**
 * A live demo incident on checkout-service v2.5.0 (over v2.4.0) as the responder declared it and started
 * assessing it, with those three timeline events and a note (rebaseDemoIncident moves exactly these).
 */
async function createLiveDemoIncident(
  tx: Tx,
  c: {
    serviceId: string;
    release: { id: string; deployedAt: Date };
    responder: { id: string; name: string | null };
    now: Date;
    title: string;
    summary: string;
    note: string;
  },
) {
  const ago = (minutes: number) => new Date(c.now.getTime() - minutes * MINUTE);
  const incident = await tx.incident.create({
    data: {
      title: c.title,
      summary: c.summary,
      serviceId: c.serviceId,
      releaseId: c.release.id,
      badVersion: "v2.5.0",
      previousVersion: "v2.4.0",
      severity: "SEV2",
      status: "ASSESSING",
      deployedAt: c.release.deployedAt,
      detectedAt: ago(19),
      declaredAt: ago(17),
      declaredById: c.responder.id,
    },
  });
  const by = { incidentId: incident.id, actorId: c.responder.id, source: "USER" } as const;
  await tx.timelineEvent.createMany({
    data: [
      {
        ...by,
        at: ago(17),
        kind: "INCIDENT_DECLARED",
        message: `${c.responder.name} declared INC-${incident.number} (SEV2): checkout-service v2.5.0, previous v2.4.0`,
      },
      {
        ...by,
        at: ago(15),
        kind: "STATUS_CHANGED",
        message: `${c.responder.name} started the assessment`,
        payload: { from: "DECLARED", to: "ASSESSING" },
      },
      { ...by, at: ago(12), kind: "NOTE", message: c.note },
    ],
  });
}

/** A demo database seeded before the flag-caused incident existed gets it too, when checkout-service has none of its title. */
export async function ensureDemoFlagIncident(db: Db, now = new Date()): Promise<void> {
  const release = await db.release.findFirst({
    where: { service: { slug: "checkout-service" }, version: "v2.5.0" },
    select: { id: true, deployedAt: true, serviceId: true },
  });
  const responder = await db.user.findUnique({ where: { email: "responder@backout.demo" }, select: { id: true, name: true } });
  if (!release || !responder) return;
  if (await db.incident.findFirst({ where: { serviceId: release.serviceId, title: DEMO_FLAG_INCIDENT_TITLE }, select: { id: true } }))
    return;
  await db.$transaction((tx) =>
    createLiveDemoIncident(tx, { serviceId: release.serviceId, release, responder, now, ...DEMO_FLAG_INCIDENT }),
  );
}

/** The demo runbook's steps: real calls to the demo router (demo/fleet.mjs) and to blue. */
export function demoRunbookSteps(router: string, blue = "http://127.0.0.1:4101") {
  return [
    {
      key: "identify-active",
      name: "Identify the active environment",
      executor: "HTTP",
      config: { method: "GET", url: `${router}/admin/active` },
    },
    {
      key: "verify-target-health",
      name: "Verify blue (v2.4.0) is healthy",
      executor: "HEALTH_CHECK",
      config: { urls: [`${blue}/health`], retries: 2, intervalMs: 1000 },
    },
    {
      key: "switch-traffic",
      name: "Switch traffic to blue (v2.4.0)",
      executor: "HTTP",
      changesTraffic: true,
      config: {
        method: "POST",
        url: `${router}/admin/switch`,
        headers: { "content-type": "application/json" },
        body: '{"to":"blue"}',
        secretHeaders: { Authorization: "DEMO_ROUTER_AUTH" },
      },
    },
    { key: "wait-propagation", name: "Wait for propagation", executor: "WAIT", config: { seconds: 30 } },
    {
      key: "verify-metrics",
      name: "Verify metrics (error rate < 5%, p99 < 300 ms)",
      executor: "VERIFY_METRICS",
      config: { maxErrorRate: 0.05, maxP99Ms: 300, windowSeconds: 25 },
    },
    {
      key: "verify-endpoints",
      name: "Verify critical endpoints",
      executor: "HEALTH_CHECK",
      config: { urls: [`${router}/login`, `${router}/checkout`, `${router}/api/ping`], retries: 3, intervalMs: 1000 },
    },
    {
      key: "write-report",
      name: "Write the rollback report",
      executor: "NOTIFY",
      optional: true,
      config: { webhookUrlEnv: "BACKOUT_NOTIFY_WEBHOOK", report: true },
    },
    { key: "notify", name: "Notify stakeholders", executor: "NOTIFY", optional: true, config: { webhookUrlEnv: "BACKOUT_NOTIFY_WEBHOOK" } },
  ];
}

/** The demo's feature-flag runbook: turn the release's flag off through the demo flag service, wait, verify. */
export function demoFlagRunbookSteps(flags: string) {
  return [
    {
      key: "flags-off",
      name: `Turn ${DEMO_FLAG} off in production`,
      executor: "FLAG_DISABLE",
      changesTraffic: true,
      config: { baseUrl: flags, project: "default", flag: DEMO_FLAG, environment: "production", tokenEnv: "DEMO_FLAGS_TOKEN" },
    },
    { key: "wait-propagation", name: "Wait for the service to pick the flag up", executor: "WAIT", config: { seconds: 30 } },
    {
      key: "verify-metrics",
      name: "Verify metrics (error rate < 5%, p99 < 300 ms)",
      executor: "VERIFY_METRICS",
      config: { maxErrorRate: 0.05, maxP99Ms: 300, windowSeconds: 25 },
    },
  ];
}

/**
 * Where the demo incident sits in time after `npm start` re-bases it (minutes before the start): the deploy
 * long enough ago for the FAST criteria (5 min sustained) to have been met, the detection recent enough that
 * the FAST clock (30 min from detection) starts with 28 minutes left.
 */
export const DEMO_REBASE_MINUTES = { deployed: 8, detected: 2, declared: 1.5, assessing: 1, note: 0.5 } as const;

export type DemoRebase =
  | { rebased: true; incidentNumber: number; deployedAt: Date; previousDeployedAt: Date }
  | { rebased: false; reason: string };

/**
 * Moves the seeded demo incident (and its release and timeline) to just before `now`, so every start
 * of the demo meets an incident that was detected a moment ago. Only while nobody has acted on it
 * (still ASSESSING, no decision, no run, no frozen evidence, only the seed's timeline): an incident
 * someone has worked on keeps its history as it happened.
 */
export async function rebaseDemoIncident(db: Db, now = new Date()): Promise<DemoRebase> {
  const at = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);
  return db.$transaction(async (tx) => {
    const demoIncident = (title?: string) =>
      tx.incident.findFirst({
        where: {
          service: { slug: "checkout-service" },
          release: { version: "v2.5.0" },
          declaredBy: { email: "responder@backout.demo" },
          ...(title ? { title } : {}),
        },
        orderBy: { number: "asc" },
        select: {
          id: true,
          number: true,
          status: true,
          deployedAt: true,
          releaseId: true,
          _count: { select: { decisions: true, rollbackRuns: true, timelineEvents: true, evidenceSnapshots: true } },
        },
      });
    type Found = NonNullable<Awaited<ReturnType<typeof demoIncident>>>;
    const untouched = ({ status, _count: c }: Found) =>
      status === "ASSESSING" && c.decisions + c.rollbackRuns + c.evidenceSnapshots === 0 && c.timelineEvents === 3;
    const deployedAt = at(DEMO_REBASE_MINUTES.deployed);
    const move = async (id: string) => {
      await tx.incident.update({
        where: { id },
        data: { deployedAt, detectedAt: at(DEMO_REBASE_MINUTES.detected), declaredAt: at(DEMO_REBASE_MINUTES.declared) },
      });
      const times = {
        INCIDENT_DECLARED: DEMO_REBASE_MINUTES.declared,
        STATUS_CHANGED: DEMO_REBASE_MINUTES.assessing,
        NOTE: DEMO_REBASE_MINUTES.note,
      } as const;
      // Noted when it happened, like the seed's: a recordedAt left at an earlier start would show as
      // "noted at" a time before the event itself.
      for (const [kind, minutes] of Object.entries(times))
        await tx.timelineEvent.updateMany({
          where: { incidentId: id, kind: kind as keyof typeof times },
          data: { at: at(minutes), recordedAt: at(minutes) },
        });
    };

    const incident = await demoIncident();
    if (!incident?.releaseId) return { rebased: false, reason: "no demo incident in this database" };
    if (!untouched(incident))
      return {
        rebased: false,
        reason: `INC-${incident.number} has been worked on (status ${incident.status}): its times stay as they were`,
      };
    await tx.release.update({ where: { id: incident.releaseId }, data: { deployedAt } });
    await move(incident.id);
    // The flag-caused incident shares the release: it moves with it while nobody has worked on it either.
    const flagged = await demoIncident(DEMO_FLAG_INCIDENT_TITLE);
    if (flagged && flagged.id !== incident.id && untouched(flagged)) await move(flagged.id);
    return { rebased: true, incidentNumber: incident.number, deployedAt, previousDeployedAt: incident.deployedAt };
  });
}

/**
 * The demo's runbooks for checkout-service: blue-green against the demo router, feature-flag against the
 * demo flag service.
 * Idempotent (a new version only when the steps differ), so existing demo databases get it too;
 * once an admin has saved a version of their own, the seed leaves the runbook to them.
 */
export async function ensureDemoRunbook(db: Db): Promise<void> {
  const service = await db.service.findUnique({ where: { slug: "checkout-service" }, select: { id: true } });
  if (!service) return;
  const runbooks = [
    { name: "Blue-green switch (demo router)", strategy: "BLUE_GREEN", steps: demoRunbookSteps(DEMO_ROUTER_URL) },
    { name: "Feature flag off (demo flag service)", strategy: "FEATURE_FLAG", steps: demoFlagRunbookSteps(DEMO_FLAGS_URL) },
  ] as const;
  for (const { name, strategy, steps } of runbooks) {
    const runbook = await db.runbook.upsert({
      where: { serviceId_name: { serviceId: service.id, name } },
      create: { serviceId: service.id, name, strategy },
      update: {},
      include: { versions: { orderBy: { version: "desc" }, take: 1 } },
    });
    const latest = runbook.versions[0];
    if (latest && (latest.createdById !== null || JSON.stringify(latest.steps) === JSON.stringify(steps))) continue;
    const version = (latest?.version ?? 0) + 1;
    await db.runbookVersion.create({ data: { runbookId: runbook.id, version, steps, note: "Demo runbook (seed)" } });
    await db.runbook.update({ where: { id: runbook.id }, data: { currentVersion: version } });
  }
}
