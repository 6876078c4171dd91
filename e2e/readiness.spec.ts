// "Ready to roll back?" on the demo fleet: with blue stopped the panel shows blue's health check
// failing within 45 s, the proposal form warns, the plan's step turns amber and the approval
// dialog wants the acknowledgement; with blue running every check passes and the frozen decision
// shows them with their times. The fleet runs on ports of its own (not the demo's 4100-4102), so
// this spec and the rollback spec never share one.
import { type Browser, expect, type Page, test } from "@playwright/test";
import type { Fleet } from "../demo/fleet.d.mts";
import { startFleet } from "../demo/fleet.mjs";
import { seed, signIn, sql, USERS } from "./support";

test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

const ROUTER_TOKEN = "e2e-demo-router-token"; // the e2e server's DEMO_ROUTER_AUTH (playwright.config.ts)
const PORTS = { router: 4111, blue: 4112, green: 4113, flags: 4114 };
const router = `http://127.0.0.1:${PORTS.router}`;

let fleet: Fleet | null = null;
let serviceSlug = "";

function incident(title: string) {
  const deployedAt = new Date(Date.now() - 20 * 60_000).toISOString();
  return seed("incident", {
    title: `${title} ${Date.now()}`,
    badVersion: "v2.5.0",
    previousVersion: "v2.4.0",
    deployedAt,
    service: serviceSlug
      ? { slug: serviceSlug }
      : {
          name: "readiness",
          // The demo's blue-green runbook, against this spec's fleet.
          runbook: "demo",
          demoFleet: { router, blue: `http://127.0.0.1:${PORTS.blue}` },
          release: { version: "v2.5.0", previousVersion: "v2.4.0", deployedAt },
        },
  });
}

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

async function propose(page: Page) {
  const form = page.getByRole("form", { name: "Propose rollback" });
  await form.getByLabel("Urgency").selectOption("FAST");
  await form.getByLabel("Strategy").selectOption("BLUE_GREEN");
  await form.getByLabel("Reason").fill("Green fails checkouts since v2.5.0; roll back to blue");
  await form.getByRole("button", { name: "Propose rollback" }).click();
  await expect(page.getByTestId("decision-status")).toHaveText("Awaiting approval", { timeout: 20_000 });
}

test.beforeAll(async () => {
  fleet = await startFleet({ routerToken: ROUTER_TOKEN, ports: PORTS, log: () => {}, loadRps: 2 });
});

test.afterAll(async () => {
  await fleet?.stop();
});

test("blue stopped: the panel shows its health failing within 45 s, the proposal warns, approval needs the acknowledgement", async ({
  browser,
}) => {
  const made = incident("Readiness blue down e2e");
  serviceSlug = made.service.slug;
  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${made.incident.number}`);
  const panel = responder.getByRole("region", { name: "Ready to roll back?" });
  const blueHealth = panel.getByTestId("readiness-target-health");
  // Blue runs: every check passes.
  await expect(panel.getByTestId("readiness-status")).toHaveText("Ready", { timeout: 20_000 });
  await expect(blueHealth).toContainText("Blue v2.4.0 health");
  await expect(blueHealth).toContainText("v2.4.0 healthy, 3/3 probes");

  // Blue goes down while the page is open: the next refresh (every 20 s) shows it.
  await fleet!.stopMember("blue");
  const stoppedAt = Date.now();
  await expect(blueHealth).toContainText("Failed", { timeout: 45_000 });
  expect(Date.now() - stoppedAt).toBeLessThan(45_000);
  await expect(blueHealth).toContainText("v2.4.0 unreachable, 0/3 probes");
  await expect(panel.getByTestId("readiness-status")).toHaveText("Not ready");

  // The service list shows the service red, and why.
  const services = await (await browser.newContext()).newPage();
  await signIn(services, USERS.viewer.email);
  await services.goto("/services");
  const card = services.getByRole("listitem").filter({ has: services.getByRole("heading", { name: made.service.name }) });
  await expect(card.getByTestId("service-readiness")).toHaveText("Not ready");
  await expect(card.getByRole("region", { name: "Rollback readiness" })).toContainText("Blue v2.4.0 health: v2.4.0 unreachable");

  // The proposal form says what would fail.
  const warning = responder.getByRole("status", { name: "Readiness warning" });
  await expect(warning).toContainText("Blue v2.4.0 health: v2.4.0 unreachable, 0/3 probes");
  await propose(responder);
  const decision = responder.getByRole("article", { name: "Rollback decision" });
  // The plan's affected step is amber.
  const step = decision
    .getByRole("list", { name: "Rollback plan" })
    .getByRole("listitem")
    .filter({ hasText: "Verify blue (v2.4.0) is healthy" });
  await expect(step).toHaveAttribute("data-readiness", "failing");
  await expect(step).toContainText("readiness check fails");

  // The approver sees the failed check and must acknowledge it.
  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${made.incident.number}`);
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  const dialog = rm.getByRole("dialog");
  await expect(dialog).toContainText("Blue v2.4.0 health: v2.4.0 unreachable, 0/3 probes");
  const acknowledge = dialog.getByRole("checkbox", { name: /I know this check failed and approve anyway/ });
  await expect(acknowledge).not.toBeChecked();
  await dialog.getByRole("button", { name: "Approve plan" }).click();
  // Not submitted without it: still proposed, no approval row.
  await expect(dialog).toBeVisible();
  await expect(rm.getByTestId("decision-status")).toHaveText("Awaiting approval");
  const approvals = () =>
    sql(
      `SELECT a.id FROM "Approval" a JOIN "Decision" d ON d.id = a."decisionId" JOIN "Incident" i ON i.id = d."incidentId" WHERE i.number = $1`,
      [made.incident.number],
    );
  expect(await approvals()).toHaveLength(0);
  await acknowledge.check();
  await dialog.getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByTestId("decision-status")).toHaveText("Approved");
  expect(await approvals()).toHaveLength(1);
  const recorded = await sql(
    `SELECT t.message FROM "TimelineEvent" t JOIN "Incident" i ON i.id = t."incidentId" WHERE i.number = $1 AND t.kind = 'DECISION_APPROVED'`,
    [made.incident.number],
  );
  expect(recorded[0].message).toContain("acknowledging failed readiness checks: Blue v2.4.0 health");
});

test("blue running: every check passes and the frozen decision shows them with their times", async ({ browser }) => {
  await fleet!.startMember("blue");
  const made = incident("Readiness blue up e2e");
  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${made.incident.number}`);
  const panel = responder.getByRole("region", { name: "Ready to roll back?" });
  // The service's last result (blue down) is older than a minute by now or is refreshed on the next poll.
  await expect(panel.getByTestId("readiness-status")).toHaveText("Ready", { timeout: 75_000 });
  await expect(responder.getByRole("status", { name: "Readiness warning" })).toHaveCount(0);
  await propose(responder);

  const decision = responder.getByRole("article", { name: "Rollback decision" });
  await decision.getByText(/^Frozen evidence/).click();
  const frozen = decision.getByTestId("frozen-readiness");
  await expect(frozen).toContainText("Readiness at the proposal (checked");
  const items = frozen.getByRole("list", { name: "Frozen readiness checks" }).getByRole("listitem");
  await expect(items).toHaveCount(3);
  for (const text of ["Blue v2.4.0 health", "Secrets set", "Runbook validates"]) {
    const item = items.filter({ hasText: text });
    await expect(item).toContainText("Passed");
    await expect(item.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  }
  await expect(items.filter({ hasText: "Blue v2.4.0 health" })).toContainText("v2.4.0 healthy, 3/3 probes");

  // No acknowledgement asked.
  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${made.incident.number}`);
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  await expect(rm.getByRole("dialog").getByRole("checkbox")).toHaveCount(0);
  await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByTestId("decision-status")).toHaveText("Approved");
});
