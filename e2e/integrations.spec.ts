// Deploy events and Alertmanager through the real server: an admin makes the tokens in the admin
// pages, a pipeline records deploys, the declare form proposes the latest one, the charts mark them;
// an Alertmanager payload opens an incident.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { seed, signIn, sql, USERS } from "./support";

test.setTimeout(150_000);

const MINUTE = 60_000;

test("a pipeline records deploys; declaring proposes the latest, and the charts mark both", async ({ page, request, browser, baseURL }) => {
  const made = seed("service", { name: "e2e-deploys", metrics: { provider: "BUILTIN" }, token: true });
  const slug = made.service.slug;
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/api-tokens");
  const form = page.getByRole("form", { name: "Create API token" });
  await form.getByLabel("Name").fill("e2e pipeline");
  await form.getByLabel("A service (its own account)").check();
  await form.getByLabel("Role").selectOption("RESPONDER");
  await form.getByLabel("Scope").selectOption("WRITE");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = ((await page.getByTestId("new-api-token").textContent()) ?? "").trim();
  expect(token).toMatch(/^bo_api_/);

  // Whole minutes: the declare form's time field has minute precision.
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const auth = { authorization: `Bearer ${token}` };
  const deploy = (body: object) => request.post("/api/v1/deployments", { headers: auth, data: { service: slug, ...body } });
  const older = await deploy({ version: "v3.0.2", previousVersion: "v3.0.1", deployedAt: new Date(now - 50 * MINUTE).toISOString() });
  expect(older.status(), await older.text()).toBe(201);
  const latest = await deploy({
    version: "v3.1.0",
    previousVersion: "v3.0.2",
    deployedAt: new Date(now - 20 * MINUTE).toISOString(),
    commit: "9fceb02",
    link: "https://ci.example.com/runs/4242",
  });
  expect(latest.status(), await latest.text()).toBe(201);
  // Samples for the charts: an hour and a half, every 15 s.
  const samples = [];
  for (let ts = now - 90 * MINUTE; ts <= now; ts += 15_000) samples.push({ metric: "error_rate", ts, value: 0.01 });
  const pushed = await request.post("/api/v1/metrics", { headers: { authorization: `Bearer ${made.token}` }, data: { samples } });
  expect(pushed.status(), await pushed.text()).toBe(202);

  // The service page lists them, newest first.
  await page.goto(`/services/${slug}`);
  const deploys = page.getByRole("list", { name: "Deploys" });
  await expect(deploys.getByRole("listitem").first()).toContainText("v3.1.0");
  await expect(deploys.getByRole("listitem").nth(1)).toContainText("v3.0.2");
  await expect(deploys.getByRole("link", { name: "Pipeline" })).toHaveAttribute("href", "https://ci.example.com/runs/4242");

  // The responder, in a browser of their own.
  const responder = await (await browser.newContext({ baseURL })).newPage();
  await signIn(responder, USERS.responder.email);
  await responder.goto("/incidents/new");
  const declare = responder.getByRole("form", { name: "Declare incident" });
  await declare.getByLabel("Service").selectOption({ label: made.service.name });
  await expect(responder.getByTestId("deploy-proposal")).toContainText("v3.1.0");
  await expect(declare.getByLabel("Bad version (deployed)")).toHaveValue("v3.1.0");
  await expect(declare.getByLabel("Previous version (roll back to)")).toHaveValue("v3.0.2");
  await declare.getByLabel("What is happening?").fill("Errors after v3.1.0 (e2e deploys)");
  await declare.getByLabel("Severity").selectOption("SEV2");
  await declare.getByRole("button", { name: "Declare incident" }).click();
  await expect(responder).toHaveURL(/\/incidents\/\d+$/);
  const number = Number(responder.url().split("/").at(-1));
  const [incident] = await sql<{ deployedAt: Date; previousVersion: string; releaseId: string | null }>(
    `SELECT "deployedAt", "previousVersion", "releaseId" FROM "Incident" WHERE number = $1`,
    [number],
  );
  expect(incident.deployedAt.getTime()).toBe(now - 20 * MINUTE);
  expect(incident.previousVersion).toBe("v3.0.2");
  expect(incident.releaseId).not.toBeNull();

  const chart = responder.getByRole("region", { name: "Evidence" }).getByRole("figure", { name: "Error rate", exact: true });
  await expect(chart.locator('[data-chart="static"] svg path.chart-series')).toHaveAttribute("d", /^M/);
  await expect(chart.locator('[data-chart="static"]').getByText("deploy", { exact: true })).toHaveCount(1);
  await expect(chart.locator('[data-chart="static"]').getByText("deploy v3.0.2", { exact: true })).toHaveCount(1);
});

test("an Alertmanager integration made by an admin opens an incident from a v4 payload", async ({ page, request }) => {
  const made = seed("service", { name: "e2e-alerts" });
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/integrations");
  const form = page.getByRole("form", { name: "Create Alertmanager integration" });
  await form.getByLabel("Name").fill("e2e alertmanager");
  await form.getByRole("button", { name: "Create integration" }).click();
  const token = ((await page.getByTestId("new-alertmanager-token").textContent()) ?? "").trim();
  expect(token).toMatch(/^bo_am_/);
  const labels = { alertname: "HighErrorRate", service: made.service.slug, severity: "critical" };
  const alert = {
    status: "firing",
    labels,
    annotations: { summary: "e2e alert: checkout errors" },
    startsAt: new Date(Date.now() - MINUTE).toISOString(),
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus.example:9090/graph",
    fingerprint: randomBytes(8).toString("hex"),
  };
  const body = {
    version: "4",
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status: "firing",
    receiver: "backout",
    groupLabels: { alertname: "HighErrorRate" },
    commonLabels: labels,
    commonAnnotations: alert.annotations,
    externalURL: "http://alertmanager.example:9093",
    alerts: [alert],
  };
  const sent = await request.post("/api/v1/integrations/alertmanager", { headers: { authorization: `Bearer ${token}` }, data: body });
  expect(sent.status(), await sent.text()).toBe(200);
  const v3 = await request.post("/api/v1/integrations/alertmanager", {
    headers: { authorization: `Bearer ${token}` },
    data: { ...body, version: "3" },
  });
  expect(v3.status()).toBe(400);
  await page.goto("/incidents");
  await page
    .getByRole("link", { name: /e2e alert: checkout errors/ })
    .first()
    .click();
  await expect(page.getByText(/Alert firing: HighErrorRate — e2e alert: checkout errors/).first()).toBeVisible();
});
