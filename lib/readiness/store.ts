// The current readiness of each service: the latest checks, kept on ServiceReadiness so that
// every open incident page, every instance and the service list read one result instead of each
// probing the fleet. A refresh is taken by a lease (an UPDATE that only one caller wins), so ten
// viewers polling at once cause one round of checks, not ten.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { now as clockNow } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { loadReadinessInput, READINESS_DEADLINE_MS, runReadinessChecks } from "./run";
import { READINESS_MAX_AGE_MS, type ReadinessCheck, type ReadinessStatus, rollup } from "./types";

export type ServiceReadinessView = { serviceId: string; status: ReadinessStatus; checks: ReadinessCheck[]; checkedAt: string | null };

function view(row: { serviceId: string; status: string; checks: unknown; checkedAt: Date | null } | null, serviceId: string) {
  return {
    serviceId,
    status: (row?.status ?? "unknown") as ReadinessStatus,
    checks: (Array.isArray(row?.checks) ? row.checks : []) as ReadinessCheck[],
    checkedAt: row?.checkedAt?.toISOString() ?? null,
  } satisfies ServiceReadinessView;
}

async function store(serviceId: string, checks: ReadinessCheck[], at: Date): Promise<ServiceReadinessView> {
  const status = rollup(checks);
  const data = { status, checks: checks as unknown as Prisma.InputJsonValue, checkedAt: at, leaseUntil: null };
  const row = await getDb().serviceReadiness.upsert({ where: { serviceId }, create: { serviceId, ...data }, update: data });
  return view(row, serviceId);
}

/**
 * Runs every readiness check of the service now and stores the result (bounded by
 * READINESS_DEADLINE_MS). This is what a deploy event calls once it records a release, and what a
 * proposal calls before its transaction.
 */
export async function checkReadiness(serviceId: string): Promise<ServiceReadinessView> {
  const input = await loadReadinessInput(serviceId);
  const checks = await runReadinessChecks({ ...input, now: clockNow });
  return store(serviceId, checks, clockNow());
}

/**
 * The stored readiness, refreshed first when it is older than maxAgeMs: by this caller when nobody
 * else is refreshing it, else by the round in flight, which it waits for.
 */
export async function currentReadiness(serviceId: string, maxAgeMs = READINESS_MAX_AGE_MS): Promise<ServiceReadinessView> {
  const db = getDb();
  const at = clockNow();
  await db.serviceReadiness.createMany({ data: [{ serviceId }], skipDuplicates: true });
  const claimed = await db.serviceReadiness.updateMany({
    where: {
      serviceId,
      OR: [{ checkedAt: null }, { checkedAt: { lt: new Date(at.getTime() - maxAgeMs) } }],
      AND: [{ OR: [{ leaseUntil: null }, { leaseUntil: { lt: at } }] }],
    },
    data: { leaseUntil: new Date(at.getTime() + READINESS_DEADLINE_MS + 5000) },
  });
  if (claimed.count === 1) {
    try {
      return await checkReadiness(serviceId);
    } catch (e) {
      await db.serviceReadiness.updateMany({ where: { serviceId }, data: { leaseUntil: null } });
      throw e;
    }
  }
  // Fresh enough, or another caller's round is in flight (the page that opened a moment ago started
  // it): that round's result once stored, rather than the stale one it is replacing.
  return recentReadiness(serviceId, maxAgeMs);
}

/**
 * The readiness a proposal freezes: the stored result when it was checked at most maxAgeMs ago (the
 * page the proposer decided on asked for it when it opened), else the round another caller is
 * running right now once it is stored, else a round run now. Never older than maxAgeMs; each check
 * keeps the time it ran.
 */
export async function recentReadiness(serviceId: string, maxAgeMs: number): Promise<ServiceReadinessView> {
  const db = getDb();
  const since = clockNow().getTime() - maxAgeMs;
  for (;;) {
    const row = await db.serviceReadiness.findUnique({ where: { serviceId } });
    if (row?.checkedAt && row.checkedAt.getTime() >= since) return view(row, serviceId);
    // A round in flight (a lease not yet expired) ends within READINESS_DEADLINE_MS: wait for its
    // result rather than probing the fleet a second time.
    if (!row?.leaseUntil || row.leaseUntil.getTime() <= clockNow().getTime()) return checkReadiness(serviceId);
    await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
  }
}

const LEASE_POLL_MS = 50;

/** The stored readiness of these services, as last checked (no checks run). */
export async function getStoredReadiness(serviceIds: string[]): Promise<Map<string, ServiceReadinessView>> {
  const rows = await getDb().serviceReadiness.findMany({ where: { serviceId: { in: serviceIds } } });
  const byId = new Map(rows.map((r) => [r.serviceId, r]));
  return new Map(serviceIds.map((id) => [id, view(byId.get(id) ?? null, id)]));
}
