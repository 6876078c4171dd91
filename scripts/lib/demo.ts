// The demo fleet of `npm start`: a fresh ingestion token for checkout-service, a week of
// synthetic history on the very first start (so there is a baseline to compare with), then the
// real blue/green processes, router and load generator from demo/.
import { randomBytes } from "node:crypto";
import { writeAudit } from "@/lib/audit/log";
import type { Db } from "@/lib/db-client";
import { generateIngestToken } from "@/lib/metrics/tokens";
import { backfillHistory } from "../../demo/backfill.mjs";
import { startFleet } from "../../demo/fleet.mjs";

const DEMO_TOKEN_NAME = "demo fleet";

export async function issueDemoToken(db: Db): Promise<{ token: string; serviceId: string; deployedAt: Date; hasSamples: boolean } | null> {
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
  const hasSamples = (await db.metricSample.findFirst({ where: { serviceId: service.id }, select: { ts: true } })) !== null;
  return { token, serviceId: service.id, deployedAt: release.deployedAt, hasSamples };
}

/** The demo router's admin token: the Next server needs it (DEMO_ROUTER_AUTH) before the fleet starts. */
export function demoRouterToken(): string {
  return process.env.DEMO_ROUTER_TOKEN ?? randomBytes(16).toString("base64url");
}

export async function startDemo(
  db: Db,
  backoutUrl: string,
  routerToken: string,
  log: (line: string) => void,
): Promise<{ routerUrl: string; routerToken: string; stop: () => Promise<void> } | null> {
  const issued = await issueDemoToken(db);
  if (!issued) {
    log("demo fleet not started: no checkout-service v2.5.0 release in this database");
    return null;
  }
  if (!issued.hasSamples) {
    log("first start: writing a week of synthetic checkout-service history (labelled demo data) so there is a baseline…");
    const result = await backfillHistory({ backoutUrl, token: issued.token, deployedAt: issued.deployedAt });
    log(`history written: ${result.samples} samples in ${(result.ms / 1000).toFixed(1)}s`);
  }
  const fleet = await startFleet({ backoutUrl, ingestToken: issued.token, routerToken, log: (line: string) => log(`demo: ${line}`) });
  return { routerUrl: fleet.routerUrl, routerToken, stop: fleet.stop };
}
