import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { ConflictError, ForbiddenError, StaleError } from "@/lib/errors";
import { loadMetricWindows, serviceForMetricsSelect } from "@/lib/metrics/incident-metrics";
import { findServiceForToken } from "@/lib/metrics/ingest";
import { hashIngestToken } from "@/lib/metrics/tokens";
import { makeService, makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import {
  addCriticalFeature,
  addCriticalFeatureChange,
  createIngestionToken,
  createIngestionTokenChange,
  removeCriticalFeatureChange,
  revokeIngestionToken,
  revokeIngestionTokenChange,
  updateDecisionThresholds,
  updateDecisionThresholdsChange,
  updateMetricsSettings,
  updateMetricsSettingsChange,
  updateVerdictMateriality,
  updateVerdictMaterialityChange,
} from "./mutations";

const settings = (serviceId: string, version: number) => ({
  serviceId,
  version,
  metricsProvider: "PROMETHEUS" as const,
  prometheusUrl: "http://prometheus:9090",
  prometheusSelector: 'service="checkout"',
  queries: { LATENCY_P99: "my_p99_ms" },
  baselineWindowMinutes: 30,
  currentWindowMinutes: 5,
  availabilityTarget: 99.5,
  retentionDays: 7,
});

describe("service configuration", () => {
  it("stores an ingestion token only as a hash; the token works until revoked", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const { id, token } = await createIngestionToken(admin, { serviceId: service.id, name: "exporter" });
    const row = await getDb().ingestionToken.findUniqueOrThrow({ where: { id }, select: { tokenHash: true, prefix: true } });
    expect(row.tokenHash).toBe(hashIngestToken(token));
    expect(row.tokenHash).not.toContain(token);
    expect(await findServiceForToken(token)).toMatchObject({ serviceId: service.id });
    await revokeIngestionToken(admin, { tokenId: id });
    expect(await findServiceForToken(token)).toBeNull();
    await expect(revokeIngestionToken(admin, { tokenId: id })).rejects.toBeInstanceOf(ConflictError);
    expect(await getDb().auditLog.count({ where: { entityId: id, outcome: "ALLOWED" } })).toBe(2);
    // The token itself is in no audit row, allowed or refused.
    const rows = await getDb().auditLog.findMany({ where: { actorId: admin.id } });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(JSON.stringify(row.details)).not.toContain(token);
  });

  it("refuses non-admins and audits the attempt", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const service = await makeService();
    await expect(createIngestionToken(rm, { serviceId: service.id, name: "sneaky" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addCriticalFeature(rm, { serviceId: service.id, name: "Login" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getDb().ingestionToken.count({ where: { serviceId: service.id } })).toBe(0);
    expect(await getDb().auditLog.count({ where: { actorId: rm.id, outcome: "DENIED" } })).toBe(2);
  });

  it("saves metrics settings once per version: a stale form is refused, not overwritten", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    await updateMetricsSettings(admin, settings(service.id, 1));
    const saved = await getDb().service.findUniqueOrThrow({ where: { id: service.id } });
    expect(saved).toMatchObject({
      metricsProvider: "PROMETHEUS",
      prometheusSelector: 'service="checkout"',
      baselineWindowMinutes: 30,
      version: 2,
    });
    expect(saved.prometheusQueries).toEqual({ LATENCY_P99: "my_p99_ms" });
    // Credentials in the address are stored for the provider but never audited.
    await updateMetricsSettings(admin, { ...settings(service.id, 2), prometheusUrl: "http://backout:s3cret@prometheus:9090" });
    const [, withCredentials] = await getDb().auditLog.findMany({
      where: { actorId: admin.id, outcome: "ALLOWED" },
      orderBy: { id: "asc" },
    });
    expect(withCredentials.details).toMatchObject({ prometheusUrl: "http://prometheus:9090/" });
    expect(JSON.stringify(withCredentials.details)).not.toContain("s3cret");
    const stale = await updateMetricsSettingsChange.run(admin, { ...settings(service.id, 1), retentionDays: 30 });
    expect(stale).toMatchObject({ ok: false, code: "stale", current: { version: 3, retentionDays: 7, metricsProvider: "PROMETHEUS" } });
    await expect(updateMetricsSettings(admin, { ...settings(service.id, 1), retentionDays: 30 })).rejects.toBeInstanceOf(StaleError);
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).retentionDays).toBe(7);
  });

  it("rejects a selector that could inject PromQL and a Prometheus source without an address", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const injected = await updateMetricsSettingsChange.run(admin, {
      ...settings(service.id, 1),
      prometheusSelector: 'a="b"} or vector(1) #',
    });
    expect(injected).toMatchObject({
      ok: false,
      code: "invalid",
      field: "prometheusSelector",
      message: expect.stringMatching(/"\{" or "\}"/),
    });
    const noAddress = await updateMetricsSettingsChange.run(admin, { ...settings(service.id, 1), prometheusUrl: "" });
    expect(noAddress).toMatchObject({
      ok: false,
      code: "invalid",
      field: "prometheusUrl",
      message: expect.stringMatching(/Prometheus' address/),
    });
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).metricsProvider).toBe("BUILTIN");
    // Invalid input is a refusal like any other: audited, on its field.
    const denied = await getDb().auditLog.findMany({ where: { actorId: admin.id, outcome: "DENIED" }, orderBy: { id: "asc" } });
    expect(denied.map((d) => d.details)).toMatchObject([
      { code: "invalid", field: "prometheusSelector" },
      { code: "invalid", field: "prometheusUrl" },
    ]);
  });

  it("stores a selector as Prometheus will read it (trimmed, no trailing comma)", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    await updateMetricsSettings(admin, { ...settings(service.id, 1), prometheusSelector: ' job="checkout", ' });
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).prometheusSelector).toBe('job="checkout"');
  });
});

describe("decision thresholds", () => {
  it("stores valid overrides and refuses inconsistent ones with the rules' messages", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    await updateDecisionThresholds(admin, {
      serviceId: service.id,
      version: 1,
      values: { fastErrorRate: "0.2", fastErrorRateSustainMin: "3", plannedErrorRate: "" },
    });
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).decisionThresholds).toEqual({
      fastErrorRate: 0.2,
      fastErrorRateSustainMin: 3,
    });
    await expect(updateDecisionThresholds(admin, { serviceId: service.id, version: 2, values: { fastErrorRate: "0.9" } })).rejects.toThrow(
      /IMMEDIATE/,
    );
    expect(
      await updateDecisionThresholdsChange.run(admin, { serviceId: service.id, version: 2, values: { fastErrorRate: "lots" } }),
    ).toMatchObject({ ok: false, code: "invalid", field: "values", message: "FAST: error rate above (fraction): enter a number." });
    const stale = await updateDecisionThresholdsChange.run(admin, { serviceId: service.id, version: 1, values: { fastErrorRate: "0.1" } });
    expect(stale).toMatchObject({ ok: false, code: "stale", current: { version: 2, decisionThresholds: { fastErrorRate: 0.2 } } });
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).decisionThresholds).toEqual({
      fastErrorRate: 0.2,
      fastErrorRateSustainMin: 3,
    });
  });
});

describe("verdict materiality", () => {
  it("stores an override that the verdicts then use, and refuses bad numbers and unknown metrics by name", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    // p99 8 % above the baseline, steadily: material under the 5 % default, not under a 10 % override.
    const now = Date.now();
    const deployedAt = new Date(now - 30 * 60_000);
    const rows = [];
    for (let t = deployedAt.getTime() - 3600_000, i = 0; t < now; t += 15_000, i++) {
      const level = t < deployedAt.getTime() ? 100 : 108;
      rows.push({ serviceId: service.id, metric: "LATENCY_P99" as const, ts: new Date(t), value: level * (1 + 0.01 * Math.sin(i * 1.7)) });
    }
    await getDb().metricSample.createMany({ data: rows });
    const p99 = async () => {
      const s = await getDb().service.findUniqueOrThrow({ where: { id: service.id }, select: serviceForMetricsSelect });
      return (await loadMetricWindows(s, deployedAt, now)).assessments.find((a) => a.metric === "LATENCY_P99")!;
    };
    expect((await p99()).verdict).toBe("worse");

    await updateVerdictMateriality(admin, {
      serviceId: service.id,
      version: 1,
      values: { "LATENCY_P99.relative": "0.1", "LATENCY_P99.absolute": "", "ERROR_RATE.absolute": "0.01" },
    });
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).verdictMateriality).toEqual({
      LATENCY_P99: { relative: 0.1 },
      ERROR_RATE: { absolute: 0.01 },
    });
    const after = await p99();
    expect(after.verdict).toBe("no-significant-change");
    expect(after.reason).toMatch(/under the 10(\.\d)? ms that counts/);
    expect(after.band).toMatchObject({ low: expect.closeTo(90, 0), high: expect.closeTo(110, 0) });

    expect(
      await updateVerdictMaterialityChange.run(admin, { serviceId: service.id, version: 2, values: { "LATENCY_P99.relative": "-1" } }),
    ).toMatchObject({ ok: false, code: "invalid", field: "values", message: "Latency p99: the relative part cannot be negative" });
    expect(
      await updateVerdictMaterialityChange.run(admin, { serviceId: service.id, version: 2, values: { "ERROR_RATE.absolute": "2" } }),
    ).toMatchObject({
      ok: false,
      code: "invalid",
      message: "Error rate: the absolute part must be at most 1 (fraction: 0.005 = 0.5 points)",
    });
    expect(
      await updateVerdictMaterialityChange.run(admin, { serviceId: service.id, version: 2, values: { "LATENCY_P42.relative": "0.1" } }),
    ).toMatchObject({ ok: false, code: "invalid", message: "Unknown metric or part: LATENCY_P42" });
    expect(
      await updateVerdictMaterialityChange.run(admin, { serviceId: service.id, version: 2, values: { "THROUGHPUT.relative": "lots" } }),
    ).toMatchObject({ ok: false, code: "invalid", message: "Throughput: enter a number for the relative part." });
    const stale = await updateVerdictMaterialityChange.run(admin, {
      serviceId: service.id,
      version: 1,
      values: { "LATENCY_P99.relative": "0.5" },
    });
    expect(stale).toMatchObject({
      ok: false,
      code: "stale",
      current: { version: 2, verdictMateriality: { LATENCY_P99: { relative: 0.1 } } },
    });
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).version).toBe(2);
    expect(await getDb().auditLog.count({ where: { actorId: admin.id, action: "service.update_materiality", outcome: "DENIED" } })).toBe(5);
  });
});

describe("a caller who may not configure services", () => {
  type Case = { run: (actor: Actor) => Promise<{ ok: boolean }>; snapshot: () => Promise<unknown> };
  const db = () => getDb();
  const serviceState = (id: string) =>
    db().service.findUniqueOrThrow({ where: { id }, include: { criticalFeatures: true, ingestionTokens: true } });

  // Each service change, with the admin-made records it needs, tried by a release manager.
  const cases: Record<string, (admin: Actor, serviceId: string) => Promise<Case>> = {
    "service.update_metrics": async (_admin, serviceId) => ({
      run: (actor) => updateMetricsSettingsChange.run(actor, settings(serviceId, 1)),
      snapshot: () => serviceState(serviceId),
    }),
    "service.update_thresholds": async (_admin, serviceId) => ({
      run: (actor) => updateDecisionThresholdsChange.run(actor, { serviceId, version: 1, values: { fastErrorRate: "0.2" } }),
      snapshot: () => serviceState(serviceId),
    }),
    "service.update_materiality": async (_admin, serviceId) => ({
      run: (actor) => updateVerdictMaterialityChange.run(actor, { serviceId, version: 1, values: { "LATENCY_P99.relative": "0.2" } }),
      snapshot: () => serviceState(serviceId),
    }),
    "service.add_feature": async (_admin, serviceId) => ({
      run: (actor) => addCriticalFeatureChange.run(actor, { serviceId, name: "Login" }),
      snapshot: () => serviceState(serviceId),
    }),
    "service.remove_feature": async (admin, serviceId) => {
      const feature = await addCriticalFeature(admin, { serviceId, name: "Checkout" });
      return { run: (actor) => removeCriticalFeatureChange.run(actor, { featureId: feature.id }), snapshot: () => serviceState(serviceId) };
    },
    "ingest_token.create": async (_admin, serviceId) => ({
      run: (actor) => createIngestionTokenChange.run(actor, { serviceId, name: "sneaky exporter" }),
      snapshot: () => serviceState(serviceId),
    }),
    "ingest_token.revoke": async (admin, serviceId) => {
      const { id } = await createIngestionToken(admin, { serviceId, name: "exporter" });
      return { run: (actor) => revokeIngestionTokenChange.run(actor, { tokenId: id }), snapshot: () => serviceState(serviceId) };
    },
  };

  it.each(Object.keys(cases))("%s: refused, nothing changed, one DENIED row", async (action) => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const { run, snapshot } = await cases[action](admin, service.id);
    const rm = await makeUser("RELEASE_MANAGER");
    await expectRefusedOnce({ actor: rm, action, run: () => run(rm), snapshot });
  });
});
