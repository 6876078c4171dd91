// The stakeholder's incident (issue #13): the status update on top, the reader's layout on a phone,
// and share links for people without an account.
import { expect, type Page, test } from "@playwright/test";
import { seed, signIn, sql, USERS } from "./support";

const PHONE = { width: 390, height: 844 };

/** Where an element starts and ends on the page (not the viewport), with the page scrolled to the top. */
async function pageBox(page: Page, selector: ReturnType<Page["locator"]>) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await selector.boundingBox();
  if (!box) throw new Error("not rendered");
  return { top: box.y, bottom: box.y + box.height };
}

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

  test("a stakeholder sees the status update on the first screen and the timeline on the second; operational sections are folded", async ({
    page,
  }, testInfo) => {
    const made = seed("updated", { status: "Checkout fails for some customers; rolling back now" });
    await signIn(page, USERS.viewer.email);
    await page.goto(`/incidents/${made.incident.number}`);
    const update = page.getByRole("region", { name: /Status update/ });
    await expect(update).toContainText("Checkout fails for some customers; rolling back now");
    await expect(update.getByRole("button", { name: "Post a status update" })).toHaveCount(0);

    const first = await pageBox(page, update);
    expect(first.bottom, "the status update ends on the first screen").toBeLessThanOrEqual(PHONE.height);
    // The milestones themselves (their durations may run below the first screen).
    const milestones = page.getByRole("region", { name: "Milestones" }).getByTestId("milestones");
    await expect(milestones).toBeVisible();
    expect((await pageBox(page, milestones)).bottom, "the milestones end on the first screen").toBeLessThanOrEqual(PHONE.height);
    const timeline = page.getByRole("list", { name: "Incident timeline" });
    const second = await pageBox(page, timeline);
    expect(second.top, "the timeline starts on the second screen at the latest").toBeLessThan(2 * PHONE.height);
    await page.screenshot({ path: testInfo.outputPath("viewer-phone-first-screen.png") });
    await page.screenshot({ path: testInfo.outputPath("viewer-phone-full.png"), fullPage: true });

    // The operational sections come after the timeline, folded.
    for (const id of ["evidence", "decision", "rollback", "verification"]) {
      const fold = page.locator(`details[data-section="${id}"]`);
      await expect(fold).not.toHaveAttribute("open");
      expect((await pageBox(page, fold)).top).toBeGreaterThan(second.top);
    }
    // The Now line links only where this reader can go; following it opens the fold.
    const now = page.getByTestId("next-step");
    await expect(now.getByRole("link", { name: /Resolve/ })).toHaveCount(0);
    await now.getByRole("link", { name: "Decision ↓" }).click();
    await expect(page.locator('details[data-section="decision"]')).toHaveAttribute("open");
    await expect(page.getByRole("heading", { name: "Decision", level: 2 })).toBeInViewport();
  });
});

test("a responder posts a status update; it is on top and on the timeline; an overdue next update is flagged to responders only", async ({
  browser,
}) => {
  // Posted 45 minutes ago, the next promised 15 minutes after it: 30 minutes overdue.
  const made = seed("updated", { postedMinutesAgo: 45, nextInMinutes: 15 });
  const responder = await (await browser.newContext()).newPage();
  const viewer = await (await browser.newContext()).newPage();
  await signIn(responder, USERS.responder.email);
  await signIn(viewer, USERS.viewer.email);
  // The list flags it to the responder, not to the stakeholder.
  const rowOf = (page: Page) =>
    page.getByRole("table", { name: "Ongoing incidents" }).getByRole("row").filter({ hasText: made.incident.title });
  await expect(rowOf(responder).getByText("update overdue").filter({ visible: true })).toHaveCount(1);
  await expect(rowOf(viewer)).toBeVisible();
  await expect(rowOf(viewer).getByText("update overdue")).toHaveCount(0);
  await responder.goto(`/incidents/${made.incident.number}`);
  await viewer.goto(`/incidents/${made.incident.number}`);
  await expect(responder.getByTestId("update-overdue")).toContainText("overdue by 30 min");
  await expect(viewer.getByRole("region", { name: /Status update #1/ })).toBeVisible();
  await expect(viewer.getByTestId("update-overdue")).toHaveCount(0);

  const card = responder.getByRole("region", { name: /Status update/ });
  await card.getByRole("button", { name: "Post a status update" }).click();
  const form = responder.getByRole("form", { name: "Post a status update" });
  await form.getByLabel("Status, in plain words").fill("The rollback is done; checkout works again");
  await form.getByLabel("Next update").selectOption({ label: "In 1 hour" });
  await form.getByRole("button", { name: "Post update" }).click();
  await expect(responder.getByRole("region", { name: /Status update #2/ })).toContainText("The rollback is done; checkout works again");
  await expect(responder.getByTestId("update-overdue")).toHaveCount(0);
  // The stakeholder's open page gets it live (the timeline event refreshes the page).
  await expect(viewer.getByRole("region", { name: /Status update #2/ })).toContainText("The rollback is done; checkout works again", {
    timeout: 15_000,
  });
  await expect(viewer.getByRole("list", { name: "Incident timeline" })).toContainText(
    `${USERS.responder.name} posted status update #2: The rollback is done; checkout works again`,
  );
});

test("a share link opens without a session, stops at once when revoked, expires, and every opening is audited", async ({ browser }) => {
  const made = seed("updated", { status: "Checkout degraded; rolling back" });
  const expired = seed("shared", { madeDaysAgo: 8, expiresInDays: 7 });

  // A release manager makes the link on the incident page.
  const rm = await (await browser.newContext()).newPage();
  await signIn(rm, USERS.rm.email);
  await rm.goto(`/incidents/${made.incident.number}#share`);
  const share = rm.getByRole("region", { name: "Share" });
  await expect(share.getByLabel("Works for")).toHaveValue("7");
  await share.getByRole("button", { name: "Create share link" }).click();
  const url = await share.getByTestId("new-share-link").inputValue();
  expect(url).toMatch(/\/share\/bs_[A-Za-z0-9_-]{43}$/);
  const token = url.slice(url.lastIndexOf("/") + 1);

  // Someone without an account, in a browser that never signed in.
  const outsider = await (await browser.newContext()).newPage();
  const response = await outsider.goto(`/share/${token}`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response?.headers()["x-robots-tag"]).toContain("noindex");
  await expect(outsider.getByRole("heading", { level: 1 })).toHaveText(made.incident.title);
  await expect(outsider.getByRole("region", { name: /Status update/ })).toContainText("Checkout degraded; rolling back");
  await expect(outsider.getByRole("region", { name: "Milestones" })).toContainText("Declared");
  const timeline = outsider.getByRole("list", { name: "Incident timeline" });
  await expect(timeline).toContainText("declared");
  // Nothing else of the installation: no navigation, no links, no names (the creator did not opt in).
  await expect(outsider.getByRole("link")).toHaveCount(0);
  await expect(outsider.getByRole("navigation")).toHaveCount(0);
  await expect(outsider.locator("body")).not.toContainText(USERS.responder.name);
  await expect(timeline).toContainText("Someone declared");
  // The share page opens no other page: the incident itself still wants a session.
  await outsider.goto(`/incidents/${made.incident.number}`);
  await expect(outsider).toHaveURL(/\/sign-in/);

  // Revoked: the next opening is refused.
  await rm.reload();
  await rm
    .getByRole("region", { name: "Share" })
    .getByRole("button", { name: /^Revoke the link/ })
    .click();
  await expect(rm.getByRole("region", { name: "Share" }).getByText("revoked", { exact: true })).toBeVisible();
  await outsider.goto(`/share/${token}`);
  await expect(outsider.getByRole("heading", { level: 1 })).toHaveText("This link is no longer valid");
  await expect(outsider.locator("body")).not.toContainText(made.incident.title);

  // Made 8 days ago for 7 days: expired.
  await outsider.goto(`/share/${expired.link.token}`);
  await expect(outsider.getByRole("heading", { level: 1 })).toHaveText("This link is no longer valid");
  await expect(outsider.locator("body")).not.toContainText(expired.incident.title);

  const opens = await sql<{ incident: string; outcome: string; reason: string | null }>(
    `SELECT "incidentId" AS incident, outcome::text, details->>'reason' AS reason FROM "AuditLog"
     WHERE action = 'share_link.open' AND "incidentId" = ANY($1) ORDER BY id`,
    [[made.incident.id, expired.incident.id]],
  );
  expect(opens).toEqual([
    { incident: made.incident.id, outcome: "ALLOWED", reason: null },
    { incident: made.incident.id, outcome: "DENIED", reason: "revoked" },
    { incident: expired.incident.id, outcome: "DENIED", reason: "expired" },
  ]);
});

test("an open share page follows its incident: a new status update appears without a reload, and its refreshes are not new openings", async ({
  browser,
}) => {
  const made = seed("shared", { status: "Investigating elevated checkout errors" });
  const outsider = await (await browser.newContext()).newPage();
  await outsider.goto(`/share/${made.link.token}`);
  const update = outsider.getByRole("region", { name: /Status update/ });
  await expect(update).toContainText("Investigating elevated checkout errors");
  await expect(outsider.getByText(/updates by itself every 15 seconds/)).toBeVisible();

  // A responder posts the next update on the incident page.
  const responder = await (await browser.newContext()).newPage();
  await signIn(responder, USERS.responder.email);
  await responder.goto(`/incidents/${made.incident.number}`);
  await responder
    .getByRole("region", { name: /Status update/ })
    .getByRole("button", { name: "Post a status update" })
    .click();
  const form = responder.getByRole("form", { name: "Post a status update" });
  await form.getByLabel("Status, in plain words").fill("Rolled back to v2.4.0; checkout recovering");
  await form.getByLabel("Next update").selectOption({ label: "In 1 hour" });
  await form.getByRole("button", { name: "Post update" }).click();
  await expect(responder.getByRole("region", { name: /Status update #2/ })).toBeVisible();

  // The outsider's page, never reloaded, shows it within one refresh.
  await expect(update).toContainText("Rolled back to v2.4.0; checkout recovering", { timeout: 20_000 });
  await expect(outsider.getByRole("list", { name: "Incident timeline" })).toContainText(
    "posted status update #2: Rolled back to v2.4.0; checkout recovering",
  );
  // One opening audited, however many times the page refreshed itself.
  const opens = await sql<{ outcome: string }>(
    `SELECT outcome::text FROM "AuditLog" WHERE action = 'share_link.open' AND "entityId" = $1`,
    [made.link.id],
  );
  expect(opens).toEqual([{ outcome: "ALLOWED" }]);
});
