// The timeline as stakeholders read it (issue 13): times with seconds and the viewer's zone named,
// the same text from the server and after hydration, a UTC switch that sticks; and a viewer's open
// timeline receiving a responder's work live, in order, with nothing the viewer can change —
// not even by replaying the responder's requests.
import { type Browser, type BrowserContext, expect, type Page, type Request, test } from "@playwright/test";
import { instantToWallTime } from "../lib/time/format";
import { seed, signIn, sql, USERS } from "./support";

test.setTimeout(180_000);

const ZONE = "America/New_York";
const TIME = /^\d{2}:\d{2}:\d{2} E[SD]T$/;

/** The timeline times in a page's HTML as the server sent it (before any script ran). */
function serverTimes(html: string): string[] {
  return [...html.matchAll(/data-testid="timeline-time"[^>]*><time[^>]*>([^<]*)<\/time>/g)].map((m) => m[1] ?? "");
}

test.describe("in New York", () => {
  test.use({ timezoneId: ZONE });

  test("timeline times show seconds and the zone; the server's first render and the hydrated page agree; the UTC switch sticks", async ({
    page,
    browser,
  }) => {
    const person = seed("user", { role: "RESPONDER" });
    const number = seed("incident", { title: `Zones e2e ${Date.now()}` }).incident.number;
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    await signIn(page, person.email);
    // The sign-in page told the server the browser's zone.
    await expect.poll(async () => (await page.context().cookies()).find((c) => c.name === "backout-tz")?.value).toBe(ZONE);

    await page.goto(`/incidents/${number}`);
    const times = page.getByTestId("timeline-time");
    await expect(times.first()).toHaveText(TIME);
    const hydrated = await times.allTextContents();
    expect(hydrated.length).toBeGreaterThan(0);
    for (const t of hydrated) expect(t).toMatch(TIME);

    // The first server render: the HTML as fetched, and a browser with scripts off.
    const html = await (await page.request.get(`/incidents/${number}`)).text();
    expect(serverTimes(html)).toEqual(hydrated);
    const noScript = await browser.newContext({
      javaScriptEnabled: false,
      timezoneId: ZONE,
      storageState: await page.context().storageState(),
    });
    const plain = await noScript.newPage();
    await plain.goto(`/incidents/${number}`);
    expect(await plain.getByTestId("timeline-time").allTextContents()).toEqual(hydrated);
    await expect(plain.getByTestId("milestones")).toContainText(/Declared\s*\d{2}:\d{2}:\d{2} E[SD]T/);
    await noScript.close();
    // And the page did not change them after load (a hydration mismatch would be logged).
    expect(await times.allTextContents()).toEqual(hydrated);

    // One click to UTC; it sticks (the account remembers it) across a reload.
    await page.getByRole("button", { name: "Show in UTC" }).click();
    await expect(times.first()).toHaveText(/^\d{2}:\d{2}:\d{2} UTC$/);
    await page.reload();
    await expect(times.first()).toHaveText(/^\d{2}:\d{2}:\d{2} UTC$/);
    expect(serverTimes(await (await page.request.get(`/incidents/${number}`)).text())[0]).toMatch(/ UTC$/);
    expect((await sql<{ utc: boolean }>('SELECT "timesInUtc" AS utc FROM "User" WHERE email = $1', [person.email]))[0]?.utc).toBe(true);
    // And back to the zone.
    await page.getByRole("button", { name: /^Show in E[SD]T$/ }).click();
    await expect(times.first()).toHaveText(TIME);
    expect(problems.filter((p) => /hydrat|did not match/i.test(p))).toEqual([]);
  });
});

test("a long timeline opens on its first 50 entries; Show more brings the rest in order, once each", async ({ page }) => {
  const { incident } = seed("noted", { title: `Long timeline e2e ${Date.now()}`, count: 60 });
  await signIn(page, USERS.viewer.email);
  await page.goto(`/incidents/${incident.number}`);
  const entries = page.getByTestId("timeline-entry");
  await expect(entries).toHaveCount(50);
  await expect(page.getByRole("link", { name: "All 61" })).toBeVisible();
  await page.getByRole("button", { name: "Show more" }).click();
  await expect(entries).toHaveCount(61);
  await expect(page.getByRole("button", { name: "Show more" })).toHaveCount(0);
  const texts = await page.getByRole("list", { name: "Incident timeline" }).getByRole("listitem").allTextContents();
  const numbers = texts.map((t) => Number(/Note (\d+) of 60/.exec(t)?.[1] ?? 0)).filter((n) => n > 0);
  expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  // Filtered to notes, the declaration is left out.
  await page.getByRole("link", { name: "Notes 60" }).click();
  await expect(page.getByRole("link", { name: "Notes 60" })).toHaveAttribute("aria-current", "true");
  await page.getByRole("button", { name: "Show more" }).click();
  await expect(entries).toHaveCount(60);
  await expect(page.locator('[data-kind="INCIDENT_DECLARED"]')).toHaveCount(0);
});

async function as(browser: Browser, email: string): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ timezoneId: ZONE });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, context };
}

/** The kinds of the entries on a page's timeline, top to bottom. */
const kinds = (page: Page) => page.getByTestId("timeline-entry").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind") ?? ""));

async function replayAs(context: BrowserContext, request: Request, body: string) {
  const headers = request.headers();
  return context.request.post(request.url(), {
    headers: {
      "next-action": headers["next-action"] ?? "",
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: headers.accept ?? "text/x-component",
      "next-router-state-tree": headers["next-router-state-tree"] ?? "",
    },
    data: body,
  });
}

test("a responder's note, decision and step reach a viewer's open timeline live and in order; the viewer can change nothing", async ({
  browser,
}) => {
  const detectedAt = new Date(Date.now() - 20 * 60_000);
  const steps = [
    { key: "say", name: "Print progress", executor: "COMMAND", config: { argv: ["sh", "-c", "echo switched"], timeoutMs: 20_000 } },
  ];
  const made = seed("incident", {
    title: `Timeline live e2e ${Date.now()}`,
    deployedAt: new Date(detectedAt.getTime() - 10 * 60_000).toISOString(),
    detectedAt: detectedAt.toISOString(),
    service: { name: "timeline", runbook: { strategy: "CUSTOM", steps } },
  });
  const number = made.incident.number;

  const viewer = await as(browser, USERS.viewer.email);
  await viewer.page.goto(`/incidents/${number}`);
  await expect(viewer.page.getByTestId("timeline-entry")).toHaveCount(1);
  expect(await kinds(viewer.page)).toEqual(["INCIDENT_DECLARED"]);
  const marker = await viewer.page.evaluate(() => {
    (window as unknown as { __same: boolean }).__same = true;
    return true;
  });
  expect(marker).toBe(true);

  const responder = await as(browser, USERS.responder.email);
  await responder.page.goto(`/incidents/${number}`);

  // A note about an earlier moment, typed in New York time: it lands before the declaration.
  await responder.page.getByText("Add a note", { exact: true }).click();
  const noteForm = responder.page.getByRole("form", { name: "Add a note" });
  const firstReport = new Date(detectedAt.getTime() + 60_000);
  await noteForm.getByLabel("Note").fill("First customer report from the EU queue");
  await noteForm.getByLabel(/When it happened/).fill(instantToWallTime(firstReport, ZONE));
  const noteRequest = responder.page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await noteForm.getByRole("button", { name: "Add note" }).click();
  const capturedNote = await noteRequest;
  await expect(viewer.page.getByRole("list", { name: "Incident timeline" })).toContainText("First customer report from the EU queue");
  expect(await kinds(viewer.page)).toEqual(["NOTE", "INCIDENT_DECLARED"]);
  await expect(viewer.page.getByTestId("timeline-entry").first()).toContainText("noted at");

  // A time in the future is refused, on its field, and nothing is written.
  await noteForm.getByLabel("Note").fill("From the future");
  await noteForm.getByLabel(/When it happened/).fill(instantToWallTime(new Date(Date.now() + 3 * 3_600_000), ZONE));
  await noteForm.getByRole("button", { name: "Add note" }).click();
  await expect(noteForm).toContainText("cannot be about a time in the future");
  expect(await sql('SELECT 1 FROM "TimelineEvent" WHERE message = $1', ["From the future"])).toHaveLength(0);

  // The decision: proposed by the responder, approved by a release manager.
  const form = responder.page.getByRole("form", { name: "Propose rollback" });
  await form.getByLabel("Urgency").selectOption("FAST");
  await form.getByLabel("Strategy").selectOption("CUSTOM");
  await form.getByLabel("Reason").fill("Checkout errors since the deploy");
  await form.getByRole("button", { name: "Propose rollback" }).click();
  await expect(viewer.page.locator('[data-kind="DECISION_PROPOSED"]')).toHaveCount(1);
  const rm = await as(browser, USERS.rm.email);
  await rm.page.goto(`/incidents/${number}`);
  await rm.page.getByRole("button", { name: "Approve rollback" }).click();
  // A plan without destructive steps needs no typed confirmation.
  await rm.page.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(viewer.page.locator('[data-kind="DECISION_APPROVED"]')).toHaveCount(1);

  // A step, run from its button.
  await responder.page.reload();
  await responder.page.getByRole("button", { name: "Start rollback" }).click();
  // Step by step here (the default runs the steps until the first destructive one: e2e/fast-path.spec.ts).
  await responder.page.getByRole("dialog").getByRole("button", { name: "Start step by step" }).click();
  await responder.page.getByRole("button", { name: "Run: Print progress" }).click();
  await responder.page.getByRole("dialog").getByRole("button", { name: "Run step" }).click();
  await expect(viewer.page.locator('[data-kind="STEP_SUCCEEDED"]')).toHaveCount(1, { timeout: 30_000 });
  await expect(viewer.page.locator('[data-kind="STEP_SUCCEEDED"]')).toContainText(/succeeded after \d/);

  // All of it without a reload, oldest first, in the order it happened.
  expect(await viewer.page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
  const order = await kinds(viewer.page);
  const at = (k: string) => order.indexOf(k);
  expect(at("NOTE")).toBe(0);
  expect(at("INCIDENT_DECLARED")).toBeLessThan(at("DECISION_PROPOSED"));
  expect(at("DECISION_PROPOSED")).toBeLessThan(at("DECISION_APPROVED"));
  expect(at("DECISION_APPROVED")).toBeLessThan(at("STEP_STARTED"));
  expect(at("STEP_STARTED")).toBeLessThan(at("STEP_SUCCEEDED"));
  // Open incident: what has not happened yet says so ("missing" is for a resolved incident without it).
  const milestones = viewer.page.getByTestId("milestones");
  await expect(milestones.locator('[data-milestone="approved"]')).not.toContainText("not yet");
  await expect(milestones.locator('[data-milestone="verified"]')).toHaveText(/Verified\s*not yet$/);
  await expect(viewer.page.getByTestId("milestone-durations").locator('[data-duration="verify"] dd')).toHaveText("not yet");
  await expect(viewer.page.getByRole("region", { name: "Milestones" })).not.toContainText("missing");

  // The responder stars a key moment; the viewer sees it, newest-first is remembered.
  const starRequest = responder.page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await responder.page.locator('[data-kind="DECISION_APPROVED"]').getByRole("button", { name: "Star as a key moment" }).click();
  const capturedStar = await starRequest;
  await expect(viewer.page.locator('[data-kind="DECISION_APPROVED"]')).toContainText("key moment");
  await viewer.page.getByRole("button", { name: "Newest first" }).click();
  await expect(viewer.page.getByTestId("timeline-entry").first()).not.toHaveAttribute("data-kind", "NOTE");
  await viewer.page.reload();
  expect((await kinds(viewer.page)).at(-1)).toBe("NOTE");
  await viewer.page.getByRole("link", { name: /Key moments 1/ }).click();
  await expect(viewer.page.getByTestId("timeline-entry")).toHaveCount(1);

  // The viewer finds no control that changes the incident…
  await viewer.page.goto(`/incidents/${number}`);
  await expect(viewer.page.getByRole("form", { name: "Add a note" })).toHaveCount(0);
  const buttons = await viewer.page
    .getByRole("button")
    .evaluateAll((els) => els.map((e) => e.textContent?.trim() || e.getAttribute("aria-label") || ""));
  const changing = buttons.filter((b) =>
    /star|note|propose|approve|reject|start|run|retry|mark|resolve|sign off|edit|declare|save|delete|leave out|stop|abort|unlock|waive/i.test(
      b,
    ),
  );
  expect(changing).toEqual([]);

  // …and the responder's own requests, replayed with the viewer's session, are refused and audited.
  const forged = `Forged note ${Date.now()}`;
  const noteBody = (capturedNote.postData() ?? "").replace("First customer report from the EU queue", forged);
  expect(noteBody).toContain(forged);
  expect(await (await replayAs(viewer.context, capturedNote, noteBody)).text()).toContain("Stakeholders cannot do this");
  expect(await sql('SELECT 1 FROM "TimelineEvent" WHERE message = $1', [forged])).toHaveLength(0);
  const starBody = (capturedStar.postData() ?? "").replace('"starred":true', '"starred":false');
  expect(starBody).toContain('"starred":false');
  expect(await (await replayAs(viewer.context, capturedStar, starBody)).text()).toContain("Stakeholders cannot do this");
  expect(
    await sql(
      `SELECT 1 FROM "TimelineEvent" e JOIN "Incident" i ON i.id = e."incidentId" WHERE i.number = $1 AND e.kind = 'DECISION_APPROVED' AND e."starredAt" IS NOT NULL`,
      [number],
    ),
  ).toHaveLength(1);
  const denied = await sql<{ action: string }>(
    `SELECT a.action FROM "AuditLog" a JOIN "User" u ON u.id = a."actorId" WHERE u.email = $1 AND a.outcome = 'DENIED' AND a.action IN ('timeline.add_note', 'timeline.star')`,
    [USERS.viewer.email],
  );
  expect(new Set(denied.map((d) => d.action))).toEqual(new Set(["timeline.add_note", "timeline.star"]));

  // The export: UTC, ISO 8601, for readers only.
  const csv = await viewer.context.request.get(`/api/incidents/${number}/timeline/export?format=csv`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe(
    "time_utc,recorded_at_utc,category,kind,source,source_detail,actor,message,key_moment,step_result,step_duration_seconds",
  );
  expect(text).toMatch(
    /\r\n\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,notes,NOTE,web,,Remy Responder,First customer report/,
  );
  const md = await viewer.context.request.get(`/api/incidents/${number}/timeline/export?format=md`);
  expect(await md.text()).toContain("All times are UTC, ISO 8601.");
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(`/api/incidents/${number}/timeline/export?format=csv`)).status()).toBe(401);
  await anonymous.close();
  for (const c of [viewer.context, responder.context, rm.context]) await c.close();
});
