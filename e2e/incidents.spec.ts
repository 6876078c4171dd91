import { expect, test } from "@playwright/test";
import { captureDeclareAction, signIn, sql, USERS } from "./support";

test("the incident list shows the live demo incident first and links to its page", async ({ page }) => {
  await signIn(page, USERS.viewer.email);
  const ongoing = page.getByRole("table", { name: "Ongoing incidents" });
  await expect(ongoing.getByRole("link", { name: /Checkout failing/ })).toBeVisible();
  await ongoing.getByRole("link", { name: /Checkout failing/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Checkout failing/);
  await expect(page.getByLabel("Incident facts")).toContainText("checkout-service");
  await expect(page.getByLabel("Incident facts")).toContainText("v2.5.0");
  await expect(page.getByRole("list", { name: "Incident timeline" })).toContainText("declared");
});

test("filters and search narrow the list", async ({ page }) => {
  await signIn(page, USERS.viewer.email);
  await page.getByRole("searchbox", { name: "Search" }).fill("locales");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("table", { name: "Resolved incidents" })).toContainText("Search results empty");
  await expect(page.getByText("No ongoing incidents match.")).toBeVisible();
  await page.goto("/incidents?severity=SEV2&status=ongoing");
  await expect(page.getByRole("table", { name: "Ongoing incidents" })).toContainText("Checkout failing");
  await expect(page.getByRole("heading", { name: /Resolved/ })).toHaveCount(0);
});

test("a responder declares an incident; it opens with its first timeline event", async ({ page }) => {
  const title = `Payment errors e2e ${Date.now()}`;
  await signIn(page, USERS.responder.email);
  await page.getByRole("link", { name: "Declare incident" }).click();
  const form = page.getByRole("form", { name: "Declare incident" });
  await form.getByLabel("What is happening?").fill(title);
  await form.getByLabel("Service").selectOption({ label: "checkout-service" });
  await expect(form.getByLabel("Bad version (deployed)")).toHaveValue("v2.5.0");
  await expect(form.getByLabel("Previous version (roll back to)")).toHaveValue("v2.4.0");
  await form.getByLabel("Severity").selectOption("SEV1");
  await form.getByRole("button", { name: "Declare incident" }).click();

  await expect(page).toHaveURL(/\/incidents\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByRole("list", { name: "Incident timeline" })).toContainText(`${USERS.responder.name} declared`);
  const rows = await sql(
    'SELECT i.id, (SELECT count(*)::int FROM "AuditLog" a WHERE a."entityId" = i.id AND a.outcome = \'ALLOWED\') AS audits FROM "Incident" i WHERE title = $1',
    [title],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0].audits).toBe(1);
});

test("bad input shows a message on each field and creates nothing", async ({ page }) => {
  await signIn(page, USERS.responder.email);
  await page.goto("/incidents/new");
  const form = page.getByRole("form", { name: "Declare incident" });
  await form.getByLabel("What is happening?").fill("Bad");
  await form.getByLabel("Bad version (deployed)").fill("v1 ; rm -rf");
  await form.getByLabel("Previous version (roll back to)").fill("v1.0.0");
  await form.getByRole("button", { name: "Declare incident" }).click();
  await expect(form.getByText("Describe the incident in at least 5 characters.")).toBeVisible();
  await expect(form.getByText("Choose the affected service.")).toBeVisible();
  await expect(form.getByText("Choose a severity.")).toBeVisible();
  await expect(form.getByText(/Use letters, digits/)).toBeVisible();
  await expect(form.getByText("Enter when the deploy happened.")).toBeVisible();
  await expect(form.getByLabel("What is happening?")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/incidents\/new$/);
  expect(await sql("SELECT 1 FROM \"Incident\" WHERE title = 'Bad'")).toHaveLength(0);
});

test("a viewer has no Declare button, and a replayed declare request is refused and audited", async ({ browser }) => {
  // Capture the real server-action request a responder's browser sends…
  const responderContext = await browser.newContext();
  const responder = await responderContext.newPage();
  await signIn(responder, USERS.responder.email);
  const template = `Template ${Date.now()}`;
  const request = await captureDeclareAction(responder, template);

  // …and replay it with a viewer's session.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, USERS.viewer.email);
  await expect(viewer.getByRole("link", { name: "Declare incident" })).toHaveCount(0);
  await viewer.goto("/incidents/new");
  await expect(viewer.getByRole("form", { name: "Declare incident" })).toHaveCount(0);
  await expect(viewer.getByText("Stakeholders can follow incidents but not declare them.")).toBeVisible();

  const forged = `Forged by viewer ${Date.now()}`;
  const body = (request.postData() ?? "").replace(template, forged);
  expect(body).toContain(forged);
  const headers = request.headers();
  const response = await viewerContext.request.post(request.url(), {
    headers: {
      "next-action": headers["next-action"],
      "content-type": headers["content-type"],
      accept: headers.accept ?? "text/x-component",
      "next-router-state-tree": headers["next-router-state-tree"] ?? "",
    },
    data: body,
  });
  expect(await response.text()).toContain("Stakeholders cannot do this");
  expect(await sql('SELECT 1 FROM "Incident" WHERE title = $1', [forged])).toHaveLength(0);
  const denied = await sql(
    `SELECT a.action FROM "AuditLog" a JOIN "User" u ON u.id = a."actorId" WHERE u.email = $1 AND a.outcome = 'DENIED' AND a.action = 'incident.declare'`,
    [USERS.viewer.email],
  );
  expect(denied.length).toBeGreaterThanOrEqual(1);
  await responderContext.close();
  await viewerContext.close();
});
