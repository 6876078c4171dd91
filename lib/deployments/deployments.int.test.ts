// Deploy events from a pipeline's side: raw requests to the REST API with real tokens, then what
// Backout does with them (service list, declare proposal, chart markers, open incidents' timelines).
import { beforeAll, describe, expect, it } from "vitest";
import * as catchAll from "@/app/api/v1/[...path]/route";
import { createApiTokenChange, revokeApiTokenChange } from "@/lib/api/mutations";
import type { CreateApiTokenInput } from "@/lib/api/schemas";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { declareIncidentChange } from "@/lib/incidents/mutations";
import { getLatestReleases } from "@/lib/incidents/queries";
import { loadMarkers } from "@/lib/metrics/incident-metrics";
import { makeIncident, makeService, makeUser } from "@/lib/testing/factories";
import { listServiceDeployments } from "./queries";

async function post(body: unknown, token: string | null, raw?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request("http://backout.test/api/v1/deployments", { method: "POST", headers, body: raw ?? JSON.stringify(body) });
  return catchAll.POST(request, { params: Promise.resolve({ path: ["deployments"] }) });
}

let admin: Actor;

async function token(input: Partial<CreateApiTokenInput> & Pick<CreateApiTokenInput, "scope">) {
  const outcome = await createApiTokenChange.run(admin, {
    name: "pipeline",
    kind: "SERVICE",
    role: "RESPONDER",
    expiresInDays: 0,
    ...input,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

const slugOf = async (serviceId: string) => (await getDb().service.findUniqueOrThrow({ where: { id: serviceId } })).slug;

beforeAll(async () => {
  admin = await makeUser("ADMIN");
});

describe("POST /api/v1/deployments", () => {
  it("records a deploy with a write service token: stored, audited, readiness checked", async () => {
    const service = await makeService();
    const { token: write, id: tokenId } = await token({ scope: "WRITE" });
    const deployedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const sent = {
      version: "v2.5.1",
      previousVersion: "v2.5.0",
      environment: "production",
      deployedAt,
      commit: "3f9c2ab71d",
      link: "https://ci.example.com/runs/812",
    };
    const res = await post({ service: service.name, ...sent }, write);
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ service: { slug: service.name }, ...sent, openIncidents: [] });
    const row = await getDb().release.findUniqueOrThrow({ where: { id: body.id }, include: { deployedBy: true } });
    expect(row).toMatchObject({ source: "API", commitSha: "3f9c2ab71d", serviceId: service.id });
    expect(row.deployedBy?.serviceAccount).toBe(true);
    const audit = await getDb().auditLog.findFirstOrThrow({ where: { action: "deployment.record", entityId: body.id } });
    expect(audit).toMatchObject({ outcome: "ALLOWED" });
    expect(audit.details).toMatchObject({ via: "API", apiToken: tokenId, version: "v2.5.1" });
    // The readiness issue: every deploy event runs the service's readiness checks.
    const readiness = await getDb().serviceReadiness.findUnique({ where: { serviceId: service.id } });
    expect(readiness?.checkedAt).not.toBeNull();
    // The service page's list.
    expect((await listServiceDeployments(service.id)).map((d) => d.version)).toEqual(["v2.5.1"]);
  });

  it("a deploy while an incident is open on the service goes on its timeline (source API, with its link)", async () => {
    const incident = await makeIncident();
    const resolved = await makeIncident();
    await getDb().incident.update({ where: { id: resolved.id }, data: { serviceId: incident.serviceId, status: "RESOLVED" } });
    const { token: write } = await token({ scope: "WRITE" });
    const res = await post(
      { service: await slugOf(incident.serviceId), version: "v3", previousVersion: "v2", link: "https://ci.example.com/r/1" },
      write,
    );
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).openIncidents).toEqual([`INC-${incident.number}`]);
    const events = await getDb().timelineEvent.findMany({
      where: { kind: "DEPLOY_RECORDED", incidentId: { in: [incident.id, resolved.id] } },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ incidentId: incident.id, source: "API" });
    expect(events[0].message).toMatch(/v3 \(previous v2\) deployed to production/);
  });

  it("refuses from the attacker's side: no, wrong, revoked, read-only or stakeholder token; bad input — nothing stored", async () => {
    const service = await makeService();
    const good = { service: service.name, version: "v1.1", previousVersion: "v1.0" };
    const releases = () => getDb().release.count({ where: { serviceId: service.id } });
    expect((await post(good, null)).status).toBe(401);
    expect((await post(good, `bo_api_${"x".repeat(43)}`)).status).toBe(401);
    const revoked = await token({ scope: "WRITE" });
    expect((await revokeApiTokenChange.run(admin, { tokenId: revoked.id })).ok).toBe(true);
    expect((await post(good, revoked.token)).status).toBe(401);
    const read = await token({ scope: "READ" });
    const readOnly = await post(good, read.token);
    expect(readOnly.status).toBe(403);
    expect((await readOnly.json()).detail).toMatch(/read-only/);
    const viewer = await token({ scope: "WRITE", role: "VIEWER" });
    expect((await post(good, viewer.token)).status).toBe(403);

    const { token: write } = await token({ scope: "WRITE" });
    const bad: [unknown, number, string][] = [
      [{ ...good, link: "javascript:alert(1)" }, 422, "link"],
      [{ ...good, link: "ftp://ci.example.com/x" }, 422, "link"],
      [{ ...good, service: "no-such-service" }, 422, "service"],
      [{ ...good, deployedAt: new Date(Date.now() + 3_600_000).toISOString() }, 422, "deployedAt"],
      [{ ...good, deployedAt: "yesterday-ish" }, 422, "deployedAt"],
      [{ ...good, version: "v1 ; rm -rf" }, 422, "version"],
      [{ ...good, previousVersion: "v1.1" }, 422, "previousVersion"],
      [{ ...good, commit: "<script>" }, 422, "commit"],
      [{ version: "v1.1" }, 422, "service"],
    ];
    for (const [body, status, field] of bad) {
      const res = await post(body, write);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json()).field, JSON.stringify(body)).toBe(field);
    }
    expect((await post(null, write, "{oops")).status).toBe(400);
    expect(await releases()).toBe(0);
    // The same deploy twice is a conflict, not a second row.
    const deployedAt = new Date(Date.now() - 60_000).toISOString();
    expect((await post({ ...good, deployedAt }, write)).status).toBe(201);
    expect((await post({ ...good, deployedAt }, write)).status).toBe(409);
    expect(await releases()).toBe(1);
  });

  it("a pipeline records a deploy, then declaring proposes it and the charts mark it", async () => {
    const service = await makeService();
    const responder = await makeUser("RESPONDER");
    const { token: write } = await token({ scope: "WRITE" });
    const older = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const deployedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    expect((await post({ service: service.name, version: "v4.0.0", previousVersion: "v3.9.0", deployedAt: older }, write)).status).toBe(
      201,
    );
    expect(
      (await post({ service: service.name, version: "v4.1.0", previousVersion: "v4.0.0", deployedAt, commit: "abcdef1" }, write)).status,
    ).toBe(201);

    // What the declare form is given for this service: the latest deploy.
    const proposal = (await getLatestReleases()).find((r) => r.serviceId === service.id);
    expect(proposal).toMatchObject({ version: "v4.1.0", previousVersion: "v4.0.0", environment: "production", commitSha: "abcdef1" });
    expect(proposal?.deployedAt.toISOString()).toBe(deployedAt);

    const incident = await declareIncidentChange.runOrThrow(responder, {
      title: "Checkout errors after v4.1.0",
      serviceId: service.id,
      severity: "SEV2",
      badVersion: proposal?.version,
      previousVersion: proposal?.previousVersion,
      deployedAt: proposal?.deployedAt.toISOString(),
      detectedAt: new Date().toISOString(),
    });
    const release = await getDb().release.findFirstOrThrow({ where: { serviceId: service.id, version: "v4.1.0" } });
    expect(incident.releaseId).toBe(release.id);
    expect(incident.deployedAt.toISOString()).toBe(deployedAt);
    expect(incident.previousVersion).toBe("v4.0.0");

    const range = { from: Date.now() - 4 * 3_600_000, to: Date.now() };
    const markers = await loadMarkers(incident.id, incident.deployedAt, range);
    expect(markers.filter((m) => m.kind === "deploy").map((m) => [m.t, m.label])).toEqual([
      [Date.parse(deployedAt), "deploy"],
      [Date.parse(older), "deploy v4.0.0"],
    ]);
  });
});
