// Service configuration: metrics source, decision thresholds, critical features, ingestion tokens.
// Admins only, each a change of the change path (lib/incidents/change.ts): no incident, so no
// timeline; the audit row is the record.
import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError, StaleError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { serviceForMetricsSelect } from "@/lib/metrics/incident-metrics";
import { generateIngestToken } from "@/lib/metrics/tokens";
import { displayUrl } from "@/lib/rollback/executors/shared";
import {
  createTokenSchema,
  criticalFeatureSchema,
  materialityFormSchema,
  metricsSettingsSchema,
  removeFeatureSchema,
  revokeTokenSchema,
  thresholdsFormSchema,
} from "./schemas";

const PERMISSION = "service:configure" as const;

const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";

async function assertServiceExists(tx: Tx, serviceId: string): Promise<void> {
  const found = await tx.service.findUnique({ where: { id: serviceId }, select: { id: true } });
  if (!found) throw new NotFoundError("That service does not exist.");
}

/** What a stale settings form is shown: the settings as they are now. */
const METRICS_SETTINGS_SELECT = { ...serviceForMetricsSelect, version: true, availabilityTarget: true, retentionDays: true } as const;

export const updateMetricsSettingsChange = defineChange({
  action: "service.update_metrics",
  schema: metricsSettingsSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ tx, input, audit }) {
    const queries = Object.fromEntries(Object.entries(input.queries).filter(([, q]) => q !== ""));
    const { count } = await tx.service.updateMany({
      where: { id: input.serviceId, version: input.version },
      data: {
        metricsProvider: input.metricsProvider,
        prometheusUrl: input.prometheusUrl || null,
        prometheusSelector: input.prometheusSelector,
        prometheusQueries: queries,
        baselineWindowMinutes: input.baselineWindowMinutes,
        currentWindowMinutes: input.currentWindowMinutes,
        availabilityTarget: input.availabilityTarget,
        retentionDays: input.retentionDays,
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      const current = await tx.service.findUnique({ where: { id: input.serviceId }, select: METRICS_SETTINGS_SELECT });
      if (!current) throw new NotFoundError("That service does not exist.");
      throw new StaleError(
        "Someone else changed these settings since you opened the page. Reload to see theirs, then re-apply yours.",
        current,
      );
    }
    audit.details = {
      provider: input.metricsProvider,
      // An address may carry credentials (http://user:pass@…): the audit keeps only where it points.
      prometheusUrl: input.metricsProvider === "PROMETHEUS" ? displayUrl(input.prometheusUrl) : input.prometheusUrl,
      selector: input.prometheusSelector,
      customQueries: Object.keys(queries),
    };
  },
});

export function updateMetricsSettings(actor: Actor, input: z.input<typeof metricsSettingsSchema>) {
  return updateMetricsSettingsChange.runOrThrow(actor, input);
}

/** Per-service decision thresholds: blank means "the default"; the schema checks them with the rules' own. */
export const updateDecisionThresholdsChange = defineChange({
  action: "service.update_thresholds",
  schema: thresholdsFormSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ tx, input, audit }) {
    const { count } = await tx.service.updateMany({
      where: { id: input.serviceId, version: input.version },
      data: { decisionThresholds: input.values, version: { increment: 1 } },
    });
    if (count === 0) {
      const current = await tx.service.findUnique({ where: { id: input.serviceId }, select: { version: true, decisionThresholds: true } });
      if (!current) throw new NotFoundError("That service does not exist.");
      throw new StaleError("Someone else changed this service since you opened the page. Reload and re-apply your change.", current);
    }
    audit.details = input.values;
  },
});

export function updateDecisionThresholds(actor: Actor, input: z.input<typeof thresholdsFormSchema>) {
  return updateDecisionThresholdsChange.runOrThrow(actor, input);
}

/** Per-service verdict materiality: blank means "the default"; the schema checks it with the verdict's own. */
export const updateVerdictMaterialityChange = defineChange({
  action: "service.update_materiality",
  schema: materialityFormSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ tx, input, audit }) {
    const { count } = await tx.service.updateMany({
      where: { id: input.serviceId, version: input.version },
      data: { verdictMateriality: input.values, version: { increment: 1 } },
    });
    if (count === 0) {
      const current = await tx.service.findUnique({ where: { id: input.serviceId }, select: { version: true, verdictMateriality: true } });
      if (!current) throw new NotFoundError("That service does not exist.");
      throw new StaleError("Someone else changed this service since you opened the page. Reload and re-apply your change.", current);
    }
    audit.details = input.values;
  },
});

export function updateVerdictMateriality(actor: Actor, input: z.input<typeof materialityFormSchema>) {
  return updateVerdictMaterialityChange.runOrThrow(actor, input);
}

export const addCriticalFeatureChange = defineChange({
  action: "service.add_feature",
  schema: criticalFeatureSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ tx, input, audit }) {
    await assertServiceExists(tx, input.serviceId);
    const position = await tx.criticalFeature.count({ where: { serviceId: input.serviceId } });
    // The unique name is the database's to enforce (two admins adding the same name at once); the
    // failed insert is the transaction's last statement, so refusing here rolls it back cleanly.
    const feature = await tx.criticalFeature.create({ data: { ...input, probeUrl: input.probeUrl || null, position } }).catch((e) => {
      if (isUniqueViolation(e)) throw new InvalidInputError(`This service already has a feature called ${input.name}.`, "name");
      throw e;
    });
    Object.assign(audit, {
      entityType: "CriticalFeature",
      entityId: feature.id,
      details: { name: input.name, serviceId: input.serviceId },
    });
    return feature;
  },
});

export function addCriticalFeature(actor: Actor, input: z.input<typeof criticalFeatureSchema>) {
  return addCriticalFeatureChange.runOrThrow(actor, input);
}

export const removeCriticalFeatureChange = defineChange({
  action: "service.remove_feature",
  schema: removeFeatureSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "CriticalFeature", entityId: input.featureId }),
  async apply({ tx, input, audit }) {
    const feature = await tx.criticalFeature.findUnique({ where: { id: input.featureId } });
    if (!feature) throw new NotFoundError("That feature was already removed.");
    await tx.criticalFeature.delete({ where: { id: feature.id } });
    audit.details = { name: feature.name, serviceId: feature.serviceId };
  },
});

/** Returns the token itself exactly once, to its creator; only its hash is stored, and only its prefix audited. */
export const createIngestionTokenChange = defineChange({
  action: "ingest_token.create",
  schema: createTokenSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ tx, user, input, audit }) {
    await assertServiceExists(tx, input.serviceId);
    const { token, hash, prefix } = generateIngestToken();
    const created = await tx.ingestionToken.create({
      data: { serviceId: input.serviceId, name: input.name, tokenHash: hash, prefix, createdById: user.id },
    });
    Object.assign(audit, {
      entityType: "IngestionToken",
      entityId: created.id,
      details: { name: input.name, prefix, serviceId: input.serviceId },
    });
    return { id: created.id, token };
  },
});

export function createIngestionToken(actor: Actor, input: z.input<typeof createTokenSchema>) {
  return createIngestionTokenChange.runOrThrow(actor, input);
}

export const revokeIngestionTokenChange = defineChange({
  action: "ingest_token.revoke",
  schema: revokeTokenSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "IngestionToken", entityId: input.tokenId }),
  async apply({ tx, input, now, audit }) {
    const { count } = await tx.ingestionToken.updateMany({ where: { id: input.tokenId, revokedAt: null }, data: { revokedAt: now } });
    const token = await tx.ingestionToken.findUnique({
      where: { id: input.tokenId },
      select: { name: true, prefix: true, serviceId: true },
    });
    if (!token) throw new NotFoundError("That token does not exist.");
    if (count === 0) throw new ConflictError("That token is already revoked.");
    audit.details = token;
  },
});

export function revokeIngestionToken(actor: Actor, input: z.input<typeof revokeTokenSchema>) {
  return revokeIngestionTokenChange.runOrThrow(actor, input);
}
