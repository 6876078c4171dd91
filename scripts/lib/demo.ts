// The demo fleet of `npm start`: the demo incident re-based to a moment ago, a fresh ingestion token for
// checkout-service, a week of synthetic history (on the very first start; afterwards the gap since the
// last stored sample), then the real blue/green processes, router, flag service and load generator from demo/.
import { randomBytes } from "node:crypto";
import { writeAudit } from "@/lib/audit/log";
import type { Db } from "@/lib/db-client";
import { generateIngestToken } from "@/lib/metrics/tokens";
import { DEMO_REBASE_MINUTES as DEMO_MINUTES, type DemoRebase, rebaseDemoIncident } from "@/prisma/seed";
import { backfillHistory } from "../../demo/backfill.mjs";
import { newFlagsToken, startFleet } from "../../demo/fleet.mjs";

const DEMO_TOKEN_NAME = "demo fleet";

export async function issueDemoToken(db: Db): Promise<{ token: string; serviceId: string; deployedAt: Date } | null> {
  const service = await db.service.findUnique({ where: { slug: "checkout-service" }, select: { id: true } });
  const release =
    service && (await db.release.findFirst({ where: { serviceId: service.id, version: "v2.5.0" }, select: { deployedAt: true } }));
  if (!service || !release) return null;
  const { token, hash, prefix } = generateIngestToken();
  await db.$transaction(async (tx) => {
    await tx.ingestionToken.updateMany({
      where: { serviceId: service.id, name: DEMO_TOKEN_NAME, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const created = await tx.ingestionToken.create({ data: { serviceId: service.id, name: DEMO_TOKEN_NAME, tokenHash: hash, prefix } });
    await writeAudit(tx, {
      actor: null,
      action: "ingest_token.create",
      outcome: "ALLOWED",
      entityType: "IngestionToken",
      entityId: created.id,
      details: { name: DEMO_TOKEN_NAME, reason: "demo fleet start-up" },
    });
  });
  return { token, serviceId: service.id, deployedAt: release.deployedAt };
}

/** The demo router's admin token: the Next server needs it (DEMO_ROUTER_AUTH) before the fleet starts. */
export function demoRouterToken(): string {
  return process.env.DEMO_ROUTER_TOKEN ?? randomBytes(16).toString("base64url");
}

/** The demo flag service's admin API token: the Next server needs it too (DEMO_FLAGS_TOKEN, for the flag-off step). */
export function demoFlagsToken(): string {
  return process.env.DEMO_FLAGS_TOKEN ?? newFlagsToken();
}

/**
 * Keeps checkout-service's history continuous up to now around the demo incident's deploy. First start: a
 * week of synthetic history. After a re-base: the samples since the earlier of the old and the new deploy
 * (the previous run's regression and whatever came after) make way for synthetic history from the last
 * sample kept to now, blue before the new deploy and green after, so the verdict's baselines are healthy
 * and nothing is missing in between. Otherwise the stored history stays as it is.
 */
export async function refreshDemoHistory(
  db: Db,
  options: { serviceId: string; backoutUrl: string; token: string; deployedAt: Date; rebase: DemoRebase; now?: Date; stepSeconds?: number },
): Promise<{ samples: number; ms: number; after: Date | null } | null> {
  const { serviceId, rebase } = options;
  if (rebase.rebased) {
    const keepUntil = new Date(Math.min(rebase.previousDeployedAt.getTime(), rebase.deployedAt.getTime()));
    await db.metricSample.deleteMany({ where: { serviceId, ts: { gt: keepUntil } } });
  } else if (await db.metricSample.findFirst({ where: { serviceId }, select: { ts: true } })) {
    return null;
  }
  const last = await db.metricSample.findFirst({ where: { serviceId }, orderBy: { ts: "desc" }, select: { ts: true } });
  const result = await backfillHistory({
    backoutUrl: options.backoutUrl,
    token: options.token,
    deployedAt: options.deployedAt,
    now: options.now ?? new Date(),
    ...(options.stepSeconds ? { stepSeconds: options.stepSeconds } : {}),
    ...(last ? { after: last.ts } : {}),
  });
  return { samples: result.samples, ms: result.ms, after: last?.ts ?? null };
}

export async function startDemo(
  db: Db,
  backoutUrl: string,
  routerToken: string,
  flagsToken: string,
  log: (line: string) => void,
): Promise<{ routerUrl: string; routerToken: string; flagsUrl: string; flagsToken: string; stop: () => Promise<void> } | null> {
  const rebase = await rebaseDemoIncident(db);
  log(
    rebase.rebased
      ? `demo incident INC-${rebase.incidentNumber} re-based to this start: deployed ${DEMO_MINUTES.deployed} min ago, detected ${DEMO_MINUTES.detected} min ago`
      : `demo incident not re-based: ${rebase.reason}`,
  );
  const issued = await issueDemoToken(db);
  if (!issued) {
    log("demo fleet not started: no checkout-service v2.5.0 release in this database");
    return null;
  }
  log("writing synthetic checkout-service history (labelled demo data) up to now, so there is a baseline…");
  const history = await refreshDemoHistory(db, {
    serviceId: issued.serviceId,
    backoutUrl,
    token: issued.token,
    deployedAt: issued.deployedAt,
    rebase,
  });
  log(
    history
      ? `history written: ${history.samples} samples${history.after ? ` after ${history.after.toISOString()}` : " (7 days)"} in ${(history.ms / 1000).toFixed(1)}s`
      : "history kept as stored",
  );
  const fleet = await startFleet({
    backoutUrl,
    ingestToken: issued.token,
    routerToken,
    flagsToken,
    log: (line: string) => log(`demo: ${line}`),
  });
  return { routerUrl: fleet.routerUrl, routerToken, flagsUrl: fleet.flagsUrl, flagsToken, stop: fleet.stop };
}
