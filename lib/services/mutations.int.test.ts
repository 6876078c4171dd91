import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { findServiceForToken } from "@/lib/metrics/ingest";
import { hashIngestToken } from "@/lib/metrics/tokens";
import { makeService, makeUser } from "@/lib/testing/factories";
import {
  addCriticalFeature,
  createIngestionToken,
  revokeIngestionToken,
  updateDecisionThresholds,
  updateMetricsSettings,
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
    await expect(revokeIngestionToken(admin, { tokenId: id })).rejects.toThrow(/already revoked/);
    expect(await getDb().auditLog.count({ where: { entityId: id, outcome: "ALLOWED" } })).toBe(2);
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
    await expect(updateMetricsSettings(admin, { ...settings(service.id, 1), retentionDays: 30 })).rejects.toBeInstanceOf(ConflictError);
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).retentionDays).toBe(7);
  });

  it("rejects a selector that could inject PromQL and a Prometheus source without an address", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    await expect(updateMetricsSettings(admin, { ...settings(service.id, 1), prometheusSelector: 'a="b"} or vector(1) #' })).rejects.toThrow(
      /braces/,
    );
    await expect(updateMetricsSettings(admin, { ...settings(service.id, 1), prometheusUrl: "" })).rejects.toThrow(/Prometheus' address/);
    expect((await getDb().service.findUniqueOrThrow({ where: { id: service.id } })).metricsProvider).toBe("BUILTIN");
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
    await expect(updateDecisionThresholds(admin, { serviceId: service.id, version: 2, values: { fastErrorRate: "lots" } })).rejects.toThrow(
      /enter a number/,
    );
  });
});
