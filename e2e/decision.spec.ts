import { type Browser, expect, type Page, test } from "@playwright/test";
import type { ServiceArgs } from "./fixtures/seed";
import { acknowledgeIfAsked, seed, signIn, sql, USERS } from "./support";

test.describe.configure({ mode: "serial" });
// Several signed-in browsers and a full propose → approve → change cycle: longer than the default.
test.setTimeout(150_000);

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

/** A fresh incident (v2.5.0, previous v2.4.0) on a service of its own, declared by the responder. */
function freshIncident(label: string, service: ServiceArgs = {}) {
  const made = seed("incident", { title: `${label} ${Date.now()}`, badVersion: "v2.5.0", previousVersion: "v2.4.0", service });
  return { number: made.incident.number, serviceName: made.service.name };
}

async function propose(page: Page, number: number, tier: string, strategy: string, reason: string) {
  await page.goto(`/incidents/${number}`);
  const form = page.getByRole("form", { name: "Propose rollback" });
  await form.getByLabel("Urgency").selectOption(tier);
  await form.getByLabel("Strategy").selectOption(strategy);
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Propose rollback" }).click();
  await expect(page.getByTestId("decision-status")).toHaveText("Awaiting approval");
}

test("a responder proposes, cannot approve (even by a forged request), a release manager approves, a viewer only reads", async ({
  browser,
}) => {
  // A service with the demo's blue-green runbook, and an incident of its own.
  const { number } = freshIncident("Approval e2e", { name: "checkout", runbook: "demo" });
  const responder = await as(browser, USERS.responder.email);
  await propose(responder, number, "FAST", "BLUE_GREEN", "Error rate 15% since v2.5.0; blue still runs v2.4.0");
  const decision = responder.getByRole("article", { name: "Rollback decision" });
  await expect(decision).toContainText("Blue-green traffic switch");
  await expect(decision.getByRole("list", { name: "Rollback plan" })).toContainText("Switch traffic to blue (v2.4.0)");
  await expect(responder.getByRole("button", { name: "Approve rollback" })).toHaveCount(0);
  await expect(decision).toContainText("Waiting for a release manager");

  // The release manager's approve request, captured on its way out and not delivered…
  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${number}`);
  const rmDecision = rm.getByRole("article", { name: "Rollback decision" });
  await rmDecision.getByText("Frozen evidence").click();
  await expect(rmDecision.getByRole("table", { name: "Frozen metrics" })).toContainText("Error rate");
  let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
  await rm.route(`**/incidents/${number}`, async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"]) {
      captured = { url: request.url(), headers: request.headers(), body: request.postData() ?? "" };
      await route.abort();
    } else await route.continue();
  });
  await rmDecision.getByRole("button", { name: "Approve rollback" }).click();
  await acknowledgeIfAsked(rm);
  await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect.poll(() => captured).not.toBeNull();
  await rm.unroute(`**/incidents/${number}`);

  // …replayed with the responder's session: refused, audited, nothing approved.
  const c = captured as unknown as { url: string; headers: Record<string, string>; body: string };
  const forged = await responder.context().request.post(c.url, {
    headers: { "next-action": c.headers["next-action"], "content-type": c.headers["content-type"], accept: "text/x-component" },
    data: c.body,
  });
  expect(await forged.text()).toContain("cannot do this");
  const denied = await sql(
    `SELECT 1 FROM "AuditLog" a JOIN "User" u ON u.id = a."actorId" WHERE u.email = $1 AND a.action = 'decision.approve' AND a.outcome = 'DENIED'`,
    [USERS.responder.email],
  );
  expect(denied.length).toBeGreaterThanOrEqual(1);
  await responder.reload();
  await expect(responder.getByTestId("decision-status")).toHaveText("Awaiting approval");

  // The release manager approves for real.
  await rm.reload();
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  await acknowledgeIfAsked(rm);
  await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByTestId("decision-status")).toHaveText("Approved");
  await expect(rm.getByRole("list", { name: "Approvals" })).toContainText(`Approved by ${USERS.rm.name}`);

  // The responder's open page follows without a reload.
  await expect(responder.getByTestId("decision-status")).toHaveText("Approved", { timeout: 15_000 });

  const viewer = await as(browser, USERS.viewer.email);
  await viewer.goto(`/incidents/${number}`);
  await expect(viewer.getByTestId("decision-status")).toHaveText("Approved");
  await expect(viewer.getByRole("button", { name: /Approve|Reject|Propose|Leave out/ })).toHaveCount(0);
  await expect(viewer.getByRole("form", { name: "Propose rollback" })).toHaveCount(0);

  // Changing the plan after approval voids the approval, visibly.
  await responder.getByRole("button", { name: "Leave out “Notify stakeholders”" }).click();
  await expect(responder.getByTestId("decision-status")).toHaveText("Awaiting approval");
  await expect(responder.getByRole("list", { name: "Approvals" })).toContainText("for an earlier plan; no longer counts");
  await expect(responder.getByRole("list", { name: "Rollback plan" })).not.toContainText("Notify stakeholders");
});

test("a database restore needs two different release managers and the typed service name", async ({ browser }) => {
  const { number, serviceName } = freshIncident("Restore e2e", { name: "orders" });
  const responder = await as(browser, USERS.responder.email);
  await propose(responder, number, "IMMEDIATE", "DATABASE_RESTORE", "Orders table lost rows after the v2.5.0 migration");

  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${number}`);
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  const dialog = rm.getByRole("dialog");
  await dialog.getByRole("button", { name: "Approve plan" }).click();
  await expect(dialog.getByRole("alert")).toContainText("type the service name");
  await dialog.getByLabel(`Type ${serviceName} to confirm`).fill(serviceName);
  await dialog.getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByRole("heading", { name: "Approvals: 1 of 2" })).toBeVisible();
  await expect(rm.getByTestId("decision-status")).toHaveText("Awaiting approval");
  await expect(rm.getByText("You already approved this plan")).toBeVisible();

  const rm2 = await as(browser, "rm2@backout.demo");
  await rm2.goto(`/incidents/${number}`);
  await rm2.getByRole("button", { name: "Approve rollback" }).click();
  await rm2.getByRole("dialog").getByLabel(`Type ${serviceName} to confirm`).fill(serviceName);
  await rm2.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(rm2.getByTestId("decision-status")).toHaveText("Approved");
  await expect(rm2.getByRole("heading", { name: "Approvals: 2 of 2" })).toBeVisible();
});
