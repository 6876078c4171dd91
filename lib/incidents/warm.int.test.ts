// The start-up warm-up reads the latest incident's page once: nothing written, no Prometheus asked.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeIncident } from "@/lib/testing/factories";
import { warmIncidentPage } from "./warm";

const asked: string[] = [];
const prometheus = http.createServer((req, res) => {
  asked.push(req.url ?? "");
  res.writeHead(500).end();
});
afterAll(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

describe("warmIncidentPage", () => {
  it("reads the latest incident's page without writing anything, and never asks its Prometheus", async () => {
    await new Promise<void>((resolve) => prometheus.listen(0, "127.0.0.1", resolve));
    const port = (prometheus.address() as AddressInfo).port;
    const db = getDb();
    const { id, serviceId } = await makeIncident({ title: "Warm-up" });
    await db.service.update({
      where: { id: serviceId },
      data: { metricsProvider: "PROMETHEUS", prometheusUrl: `http://127.0.0.1:${port}` },
    });
    // The latest incident, whatever other test files make meanwhile.
    await db.incident.update({ where: { id }, data: { detectedAt: new Date(Date.now() + 10 * 365 * 86_400_000) } });
    const written = () =>
      Promise.all([
        db.auditLog.count({ where: { incidentId: id } }),
        db.liveEvent.count({ where: { incidentId: id } }),
        db.timelineEvent.count({ where: { incidentId: id } }),
        db.serviceReadiness.count({ where: { serviceId } }),
        db.incident.findUniqueOrThrow({ where: { id }, select: { version: true, updatedAt: true } }),
      ]);
    const before = await written();

    const ms = await warmIncidentPage();

    expect(ms).toEqual(expect.any(Number));
    expect(await written()).toEqual(before);
    expect(asked).toEqual([]);
  });
});
