// The learning loop from the browser: the closing record of a signed-off incident, the post-mortem
// agenda generated there and downloaded as Markdown, PDF and .ics (parsed), the whole record as a zip
// (unpacked and listed), the downloads refused without a session; a runbook revision proposed from
// an action item and published by an admin (the runbook's history names the incident), the same
// publish replayed by a responder refused and audited; the re-deployment plan not ready while a
// HIGH action item is open.
import { type Browser, expect, request as playwrightRequest, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import ICAL from "ical.js";
import { seed, signIn, sql, USERS } from "./support";

const WAIT = (key: string, seconds: number) => ({ key, name: `Wait ${key}`, executor: "WAIT", config: { seconds } });

let made: ReturnType<typeof seed<"signedOff">>;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  made = seed("signedOff", {
    title: `Post-mortem e2e ${Date.now()}`,
    service: { name: "pm", runbook: { name: "Pool restart", strategy: "CUSTOM", steps: [WAIT("drain", 1)] } },
    actionItem: { title: "Check DATABASE_POOL_SIZE before the switch", priority: "HIGH" },
  });
});

/** A browser context of its own, signed in as `email`, on the incident's closing record. */
async function onRecord(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await page.goto(`/incidents/${made.incident.number}/record`);
  return { context, page };
}

test("closing record: the agenda is generated and downloads as Markdown, PDF and .ics; the whole record unpacks; no session, no download", async ({
  browser,
}) => {
  const { context: responderContext, page } = await onRecord(browser, USERS.responder.email);
  await expect(page.getByRole("heading", { name: "Closing record" })).toBeVisible();
  await expect(page.getByTestId("record-state")).toContainText("Verification signed off");
  const form = page.getByRole("form", { name: "Generate the post-mortem agenda" });
  await form.getByRole("button", { name: "Generate the agenda" }).click();
  await expect(form.getByRole("status")).toHaveText("Agenda v1 saved.");
  await expect(page.getByText(/Proposed for/)).toBeVisible();

  const [doc] = await sql<{ id: string; start: string; lockedAt: Date }>(
    `SELECT d.id, v.content->'meeting'->>'start' AS start, c."lockedAt"
     FROM "Document" d JOIN "DocumentVersion" v ON v."documentId" = d.id JOIN "Checklist" c ON c."incidentId" = d."incidentId"
     WHERE d."incidentId" = $1 AND d.kind = 'POSTMORTEM_AGENDA'`,
    [made.incident.id],
  );
  expect(Date.parse(doc!.start) - doc!.lockedAt.getTime()).toBeLessThanOrEqual(48 * 3_600_000);

  // A stakeholder reads and downloads everything, and has no form.
  const { context: viewerContext, page: viewer } = await onRecord(browser, USERS.viewer.email);
  await expect(viewer.getByRole("form", { name: "Generate the post-mortem agenda" })).toHaveCount(0);
  const ics = await viewerContext.request.get(`/api/documents/${doc!.id}/ics`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await ics.text())).getFirstSubcomponent("vevent")!);
  expect(event.startDate.toJSDate().toISOString()).toBe(doc!.start);
  const markdown = await viewerContext.request.get(`/api/documents/${doc!.id}/markdown`);
  expect(await markdown.text()).toContain("## Agenda (75 min)");
  const pdf = await viewerContext.request.get(`/api/documents/${doc!.id}/pdf`);
  expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const archive = await viewerContext.request.get(`/api/incidents/${made.incident.number}/archive`);
  expect(archive.status()).toBe(200);
  expect(archive.headers()["content-type"]).toBe("application/zip");
  const entries = unzipSync(new Uint8Array(await archive.body()));
  const root = `INC-${made.incident.number}/`;
  const names = Object.keys(entries).map((n) => n.slice(root.length));
  for (const folder of ["assessment", "metrics-at-decision", "preparation", "execution", "verification", "analysis", "documentation"]) {
    expect(
      names.some((n) => n.startsWith(`${folder}/`)),
      folder,
    ).toBe(true);
  }
  expect(names).toEqual(
    expect.arrayContaining([
      "documentation/postmortem-agenda-v1.md",
      "documentation/postmortem-agenda-v1.ics",
      "verification/verification-report-v1.md",
      "execution/run-1/step-01-wait-drain.log",
    ]),
  );
  expect(strFromU8(entries[`${root}documentation/postmortem-agenda-v1.md`]!)).toBe(await markdown.text());

  // No session: every download refused.
  const anonymous = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
  for (const url of [`/api/incidents/${made.incident.number}/archive`, `/api/documents/${doc!.id}/ics`, `/api/documents/${doc!.id}/pdf`]) {
    expect((await anonymous.get(url, { maxRedirects: 0 })).status(), url).toBe(401);
  }
  await anonymous.dispose();
  await responderContext.close();
  await viewerContext.close();
});

test("a runbook revision from an action item: proposed, published by an admin, named in the history; a responder's replayed publish is refused and audited", async ({
  browser,
}) => {
  const { context: responderContext, page } = await onRecord(browser, USERS.responder.email);
  await page.getByRole("link", { name: "Propose a revision of Pool restart" }).click();
  const form = page.getByRole("form", { name: "Propose a runbook revision" });
  await form.getByLabel("The lesson").fill("Connection-pool exhaustion from a missing DATABASE_POOL_SIZE");
  await form.getByLabel(/Steps of the next version/).fill(JSON.stringify([WAIT("check-pool", 1), WAIT("drain", 1)], null, 2));
  await form.getByRole("button", { name: "Propose the revision" }).click();
  await expect(page.getByRole("status")).toContainText("Proposed.");
  await expect(page.getByText("draft: waiting for an admin")).toBeVisible();
  // A responder sees the draft but cannot decide it.
  await expect(page.getByRole("button", { name: /Publish as version/ })).toHaveCount(0);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, USERS.admin.email);
  await admin.goto(page.url().replace(/\?.*$/, ""));
  const revision = admin.getByRole("listitem", { name: `Revision from INC-${made.incident.number}` });
  await expect(revision.getByText("+ Added")).toBeVisible();
  await admin.screenshot({ path: test.info().outputPath("revision-desktop.png"), fullPage: true });
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.screenshot({ path: test.info().outputPath("revision-phone.png"), fullPage: true });
  const captured = admin.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await revision.getByRole("button", { name: "Publish as version 2" }).click();
  const publishRequest = await captured;
  await expect(revision.getByText("published", { exact: true })).toBeVisible();
  await admin.getByRole("link", { name: "← Pool restart" }).click();
  await expect(admin.getByTestId("version-from-incident")).toContainText(`Changed after INC-${made.incident.number}`);

  // The admin's publish request, replayed with the responder's session: refused, audited, nothing changed.
  const headers = publishRequest.headers();
  const response = await responderContext.request.post(publishRequest.url(), {
    headers: {
      "next-action": headers["next-action"],
      "content-type": headers["content-type"],
      accept: headers.accept ?? "text/x-component",
      "next-router-state-tree": headers["next-router-state-tree"] ?? "",
    },
    data: publishRequest.postData() ?? "",
  });
  expect(await response.text()).toContain("Responders cannot do this");
  const denied = await sql(
    `SELECT 1 FROM "AuditLog" a JOIN "User" u ON u.id = a."actorId" WHERE u.email = $1 AND a.outcome = 'DENIED' AND a.action = 'runbook.publish_revision'`,
    [USERS.responder.email],
  );
  expect(denied.length).toBeGreaterThanOrEqual(1);
  expect((await sql<{ v: number }>(`SELECT "currentVersion" AS v FROM "Runbook" WHERE id = $1`, [made.runbookId]))[0]?.v).toBe(2);
  await responderContext.close();
  await adminContext.close();
});

test("the re-deployment plan is not ready while the HIGH action item is open", async ({ page }) => {
  await signIn(page, USERS.responder.email);
  await page.goto(`/incidents/${made.incident.number}/record`);
  const form = page.getByRole("form", { name: "Re-deployment plan" });
  await form.getByLabel("Version to re-deploy").fill("v2.0.1");
  await form.getByLabel("Target date").fill("2026-12-24");
  await form.getByLabel("Strategy").selectOption("CANARY");
  await form.getByLabel("The fix").fill("DATABASE_POOL_SIZE read from the environment");
  await form.getByLabel("Validation added").fill("Start-up refuses a pool smaller than 5");
  await form.getByLabel("Staging test").fill("Load test at twice the peak for 30 minutes");
  await form.getByRole("button", { name: "Write the plan" }).click();
  await expect(form.getByRole("status")).toHaveText("Plan v1 saved.");
  await expect(page.getByTestId("redeploy-readiness")).toContainText("Not ready to re-deploy.");
  await expect(page.getByTestId("redeploy-readiness")).toContainText("Check DATABASE_POOL_SIZE before the switch");
  // For the eyes (kept with the test's output): the record on a desktop and on a phone.
  await page.screenshot({ path: test.info().outputPath("record-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone the action items fold into one column: nothing to scroll sideways.
  const items = page.getByRole("table", { name: "Action items" });
  await expect(items).toContainText("Check DATABASE_POOL_SIZE before the switch");
  expect((await items.boundingBox())!.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("record-phone.png"), fullPage: true });
});
