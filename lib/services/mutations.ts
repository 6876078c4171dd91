// Service configuration: metrics source, critical features, ingestion tokens. Admins only;
// every change is audited.
import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { decisionThresholdsSchema } from "@/lib/decision/thresholds";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { validateSelector } from "@/lib/metrics/prometheus";
import { generateIngestToken } from "@/lib/metrics/tokens";
import {
  createTokenSchema,
  criticalFeatureSchema,
  metricsSettingsSchema,
  removeFeatureSchema,
  revokeTokenSchema,
  thresholdsFormSchema,
} from "./schemas";

export async function updateMetricsSettings(actor: Actor, raw: z.input<typeof metricsSettingsSchema>) {
  const input = metricsSettingsSchema.parse(raw);
  await authorize(actor, "service:configure", { action: "service.update_metrics", entityType: "Service", entityId: input.serviceId });
  const selector = input.metricsProvider === "PROMETHEUS" ? validateSelector(input.prometheusSelector) : input.prometheusSelector;
  const queries = Object.fromEntries(Object.entries(input.queries).filter(([, q]) => q !== ""));
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.service.updateMany({
      where: { id: input.serviceId, version: input.version },
      data: {
        metricsProvider: input.metricsProvider,
        prometheusUrl: input.prometheusUrl || null,
        prometheusSelector: selector,
        prometheusQueries: queries,
        baselineWindowMinutes: input.baselineWindowMinutes,
        currentWindowMinutes: input.currentWindowMinutes,
        availabilityTarget: input.availabilityTarget,
        retentionDays: input.retentionDays,
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      const exists = await tx.service.count({ where: { id: input.serviceId } });
      if (!exists) throw new NotFoundError("That service does not exist.");
      throw new ConflictError("Someone else changed these settings since you opened the page. Reload to see theirs, then re-apply yours.");
    }
    await writeAudit(tx, {
      actor,
      action: "service.update_metrics",
      outcome: "ALLOWED",
      entityType: "Service",
      entityId: input.serviceId,
      details: { provider: input.metricsProvider, prometheusUrl: input.prometheusUrl, selector, customQueries: Object.keys(queries) },
    });
  });
}

export async function addCriticalFeature(actor: Actor, raw: z.input<typeof criticalFeatureSchema>) {
  const input = criticalFeatureSchema.parse(raw);
  await authorize(actor, "service:configure", { action: "service.add_feature", entityType: "Service", entityId: input.serviceId });
  try {
    return await getDb().$transaction(async (tx) => {
      const position = await tx.criticalFeature.count({ where: { serviceId: input.serviceId } });
      const feature = await tx.criticalFeature.create({ data: { ...input, probeUrl: input.probeUrl || null, position } });
      await writeAudit(tx, {
        actor,
        action: "service.add_feature",
        outcome: "ALLOWED",
        entityType: "CriticalFeature",
        entityId: feature.id,
        details: { name: input.name },
      });
      return feature;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new InvalidInputError(`This service already has a feature called ${input.name}.`, "name");
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2003") throw new NotFoundError("That service does not exist.");
    throw e;
  }
}

export async function removeCriticalFeature(actor: Actor, raw: z.input<typeof removeFeatureSchema>) {
  const input = removeFeatureSchema.parse(raw);
  await authorize(actor, "service:configure", {
    action: "service.remove_feature",
    entityType: "CriticalFeature",
    entityId: input.featureId,
  });
  return getDb().$transaction(async (tx) => {
    const feature = await tx.criticalFeature.findUnique({ where: { id: input.featureId } });
    if (!feature) throw new NotFoundError("That feature was already removed.");
    await tx.criticalFeature.delete({ where: { id: feature.id } });
    await writeAudit(tx, {
      actor,
      action: "service.remove_feature",
      outcome: "ALLOWED",
      entityType: "CriticalFeature",
      entityId: feature.id,
      details: { name: feature.name, serviceId: feature.serviceId },
    });
  });
}

/** Returns the token itself exactly once; only its hash is stored. */
export async function createIngestionToken(actor: Actor, raw: z.input<typeof createTokenSchema>) {
  const input = createTokenSchema.parse(raw);
  await authorize(actor, "service:configure", { action: "ingest_token.create", entityType: "Service", entityId: input.serviceId });
  const { token, hash, prefix } = generateIngestToken();
  return getDb().$transaction(async (tx) => {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true } });
    if (!service) throw new NotFoundError("That service does not exist.");
    const created = await tx.ingestionToken.create({
      data: { serviceId: service.id, name: input.name, tokenHash: hash, prefix, createdById: actor.id },
    });
    await writeAudit(tx, {
      actor,
      action: "ingest_token.create",
      outcome: "ALLOWED",
      entityType: "IngestionToken",
      entityId: created.id,
      details: { name: input.name, prefix },
    });
    return { id: created.id, token };
  });
}

export async function revokeIngestionToken(actor: Actor, raw: z.input<typeof revokeTokenSchema>) {
  const input = revokeTokenSchema.parse(raw);
  await authorize(actor, "service:configure", { action: "ingest_token.revoke", entityType: "IngestionToken", entityId: input.tokenId });
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.ingestionToken.updateMany({
      where: { id: input.tokenId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new NotFoundError("That token does not exist or is already revoked.");
    await writeAudit(tx, {
      actor,
      action: "ingest_token.revoke",
      outcome: "ALLOWED",
      entityType: "IngestionToken",
      entityId: input.tokenId,
    });
  });
}

/** Per-service decision thresholds: blank means "the default". Validated by the rules' own schema. */
export async function updateDecisionThresholds(actor: Actor, raw: z.input<typeof thresholdsFormSchema>) {
  const input = thresholdsFormSchema.parse(raw);
  await authorize(actor, "service:configure", { action: "service.update_thresholds", entityType: "Service", entityId: input.serviceId });
  const overrides: Record<string, number> = {};
  for (const [key, value] of Object.entries(input.values)) {
    if (value === "") continue;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new InvalidInputError(`${key}: enter a number.`, key);
    overrides[key] = n;
  }
  const checked = decisionThresholdsSchema.safeParse(overrides);
  if (!checked.success) throw new InvalidInputError(checked.error.issues.map((i) => i.message).join("; "));
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.service.updateMany({
      where: { id: input.serviceId, version: input.version },
      data: { decisionThresholds: checked.data, version: { increment: 1 } },
    });
    if (count === 0)
      throw new ConflictError("Someone else changed this service since you opened the page. Reload and re-apply your change.");
    await writeAudit(tx, {
      actor,
      action: "service.update_thresholds",
      outcome: "ALLOWED",
      entityType: "Service",
      entityId: input.serviceId,
      details: checked.data,
    });
  });
}
