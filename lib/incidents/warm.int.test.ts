// The start-up warm-up reads the latest incident's page once: nothing written, no Prometheus asked,
// no critical feature probed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeIncident } from "@/lib/testing/factories";
import { warmIncidentPage } from "./warm";

const asked: string[] = [];
const prometheus = http.createServer((req, res) => {
  asked.push(req.url ?? "");
  res.writeHead(500).end();
});
beforeAll(() => new Promise<void>((resolve) => prometheus.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

/** Makes the incident the latest, whatever other test files make meanwhile. */
async function makeLatest(id: string) {
  await getDb().incident.update({ where: { id }, data: { detectedAt: new Date(Date.now() + 10 * 365 * 86_400_000) } });
}

describe("warmIncidentPage", () => {
  it("reads the latest incident's page without writing anything, and never asks its Prometheus", async () => {
    const port = (prometheus.address() as AddressInfo).port;
    const db = getDb();
    const { id, number, serviceId } = await makeIncident({ title: "Warm-up" });
    await db.service.update({
      where: { id: serviceId },
      data: { metricsProvider: "PROMETHEUS", prometheusUrl: `http://127.0.0.1:${port}` },
    });
    await makeLatest(id);
    const written = () =>
      Promise.all([
        db.auditLog.count({ where: { incidentId: id } }),
        db.liveEvent.count({ where: { incidentId: id } }),
        db.timelineEvent.count({ where: { incidentId: id } }),
        db.serviceReadiness.count({ where: { serviceId } }),
        db.incident.findUniqueOrThrow({ where: { id }, select: { version: true, updatedAt: true } }),
      ]);
    const before = await written();

    const warmed = await warmIncidentPage();

    expect(warmed).toEqual({ number, ms: expect.any(Number) });
    expect(await written()).toEqual(before);
    expect(asked).toEqual([]);
  });

  it("reads the evidence of a service on the built-in store without probing its critical features", async () => {
    const port = (prometheus.address() as AddressInfo).port;
    const db = getDb();
    const { id, number, serviceId } = await makeIncident({ title: "Warm-up, built-in store" });
    await db.criticalFeature.create({ data: { serviceId, name: "Checkout", probeUrl: `http://127.0.0.1:${port}/probe` } });
    await makeLatest(id);
    asked.length = 0;

    expect(await warmIncidentPage()).toEqual({ number, ms: expect.any(Number) });
    expect(asked).toEqual([]);
  });
});
