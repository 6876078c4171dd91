// A real alert through a real Alertmanager: the test configures Debian's prometheus-alertmanager with
// a webhook receiver pointing at Backout's receiver (the route handler, served by an in-process HTTP
// server on a free port), posts an alert to Alertmanager's API as Prometheus would, and waits for
// the incident.
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST } from "@/app/api/v1/integrations/alertmanager/route";
import { getDb } from "@/lib/db";
import { AlertmanagerServer } from "@/lib/testing/alertmanager-harness";
import { makeIntegration, makeService, makeUser } from "@/lib/testing/factories";
import { closeServer, HOST, listen } from "@/lib/testing/prometheus-harness";

let server: http.Server;
const alertmanager = new AlertmanagerServer();
const received: number[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await POST(new Request(`http://${HOST}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
    received.push(answer.status);
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(await answer.text());
  });
  const port = await listen(server);
  const admin = await makeUser("ADMIN");
  const created = await makeIntegration(admin);
  await alertmanager.start({ url: `http://${HOST}:${port}/api/v1/integrations/alertmanager`, token: created.token });
});

afterAll(async () => {
  await alertmanager.stop();
  await closeServer(server);
});

it("an alert sent through a real Alertmanager opens the incident, with the deploy as the suspect", async () => {
  const service = await makeService();
  await getDb().release.create({
    data: {
      serviceId: service.id,
      version: "v7.1.0",
      previousVersion: "v7.0.3",
      deployedAt: new Date(Date.now() - 10 * 60_000),
      source: "API",
    },
  });
  await alertmanager.postAlerts([
    {
      labels: { alertname: "CheckoutErrorRate", service: service.name, severity: "warning" },
      annotations: { summary: "Checkout 5xx above 5%" },
      startsAt: new Date(Date.now() - 30_000).toISOString(),
      generatorURL: "http://prometheus.example:9090/graph?g0.expr=up",
    },
  ]);
  const deadline = Date.now() + 30_000;
  let incident = null;
  while (!incident && Date.now() < deadline) {
    incident = await getDb().incident.findFirst({ where: { serviceId: service.id } });
    if (!incident) await new Promise((r) => setTimeout(r, 200));
  }
  expect(incident, `Alertmanager's log:\n${alertmanager.log()}\nanswers: ${received.join(", ")}`).not.toBeNull();
  expect(incident).toMatchObject({ source: "ALERTMANAGER", badVersion: "v7.1.0", previousVersion: "v7.0.3", severity: "SEV3" });
  const firing = await getDb().timelineEvent.findFirstOrThrow({ where: { incidentId: incident?.id, kind: "ALERT_FIRING" } });
  expect(firing.payload).toMatchObject({
    labels: { alertname: "CheckoutErrorRate", service: service.name },
    generatorURL: "http://prometheus.example:9090/graph?g0.expr=up",
    receiver: "backout",
  });
  expect(received.every((s) => s === 200)).toBe(true);
});
