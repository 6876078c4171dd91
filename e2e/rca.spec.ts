// The root-cause analysis as its people use it: a responder records only "users affected" (the other
// figures stay "not recorded"), generates the RCA from the incident page, fills the five whys and a
// hostile "what happened"; a release manager marks it reviewed; a stakeholder reads it with no edit
// control, and a save replayed with the stakeholder's session is refused and changes nothing. The PDF
// downloads for the stakeholder.
import { type Browser, type BrowserContext, expect, type Page, type Request, type Route, test } from "@playwright/test";
import { HOSTILE_MARKDOWN } from "../lib/testing/hostile-markdown";
import { seed, signIn, sql, USERS } from "./support";

test.setTimeout(180_000);

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  // Any script the hostile text managed to run would open a dialog.
  page.on("dialog", (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await signIn(page, email);
  return page;
}

const WHYS = [
  "Checkout returned 500s",
  "The new client sent a null cart id",
  "The API accepted null cart ids",
  "No contract test covered the cart id",
  "Contract tests are not a gate in the pipeline",
];

test("a responder generates the RCA and fills the five whys, a release manager reviews it, a stakeholder reads it without controls", async ({
  browser,
}) => {
  const steps = [{ key: "switch", name: "Switch traffic", executor: "WAIT", config: { seconds: 1 } }];
  const made = seed("rolledBack", {
    title: `RCA e2e ${Date.now()}`,
    service: { name: "checkout", runbook: { strategy: "CUSTOM", steps } },
  });
  const n = made.incident.number;

  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${n}`);
  // Only "users affected" is known: the rest stays "not recorded", never 0.
  await responder.getByRole("button", { name: "Edit impact" }).click();
  const impact = responder.getByRole("form", { name: "Edit user impact" });
  await impact.getByLabel("Users affected").fill("1200");
  await impact.getByRole("button", { name: "Save impact" }).click();
  await expect(responder.getByText("Not recorded", { exact: true })).toHaveCount(3);
  await expect(responder.getByRole("list", { name: "Incident timeline" })).toContainText(
    "updated user impact: users affected not recorded → 1,200",
  );
  const [figures] = await sql<{ u: number | null; s: number | null; c: number | null; f: number | null }>(
    `SELECT "usersAffected" u, "supportTickets" s, complaints c, "failedTransactions" f FROM "Incident" WHERE number = $1`,
    [n],
  );
  expect(figures).toEqual({ u: 1200, s: null, c: null, f: null });

  // The connection drops on the first try: the button says so, and comes back for the next.
  const drop = (route: Route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue());
  await responder.route(`**/incidents/${n}`, drop);
  await responder.getByRole("button", { name: "Generate RCA" }).click();
  await expect(responder.getByRole("alert").filter({ hasText: "The server did not answer" })).toBeVisible();
  await responder.unroute(`**/incidents/${n}`, drop);
  await responder.getByRole("button", { name: "Generate RCA" }).click();
  await expect(responder).toHaveURL(new RegExp(`/incidents/${n}/rca$`));
  const article = responder.getByRole("article", { name: "Root-cause analysis" });
  await expect(article.getByRole("heading", { level: 1 })).toContainText(`Root-cause analysis — INC-${n}`);
  await expect(article.getByRole("table", { name: "User impact" })).toContainText("Support ticketsnot recorded");
  await expect(article.getByRole("table", { name: "Timeline" })).toContainText("Switch traffic");

  await article.getByRole("button", { name: "Edit Five whys" }).click();
  const form = article.getByRole("form", { name: "Edit Five whys" });
  for (const [i, why] of WHYS.entries()) await form.getByLabel(`Why ${i + 1}`, { exact: true }).fill(why);
  await form.getByRole("button", { name: "Save five whys" }).click();
  await expect(form).toBeHidden();
  const whys = article.getByRole("list", { name: "Five whys" });
  await expect(whys.getByRole("listitem")).toHaveCount(5);
  await expect(whys.getByRole("listitem").last()).toContainText("Why 5 · root cause");
  await expect(whys.getByRole("listitem").last()).toContainText(WHYS[4]);

  // Hostile text is shown as text: no script, no handler, no javascript: or data: link.
  await article.getByRole("button", { name: "Edit What happened" }).click();
  const what = article.getByRole("form", { name: "Edit What happened" });
  await what.getByLabel("What happened").fill(HOSTILE_MARKDOWN);
  await what.getByRole("button", { name: "Save what happened" }).click();
  await expect(what).toBeHidden();
  await expect(article.getByText('<script>alert("x")</script>')).toBeVisible();
  await expect(article.getByRole("link", { name: "ok", exact: true })).toHaveAttribute("href", "https://example.com/ok");
  expect(await article.locator("script, img, [onerror], [onclick], a[href^='javascript:' i], a[href^='data:' i]").count()).toBe(0);

  // The release manager reviews the version they read.
  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${n}/rca`);
  await rm.getByRole("button", { name: "Mark reviewed" }).click();
  await expect(rm.getByRole("list", { name: "Sign-off" })).toContainText(`Reviewed by: ${USERS.rm.name}`);

  // The stakeholder reads it all and finds no control; the PDF downloads.
  const viewer = await as(browser, USERS.viewer.email);
  await viewer.goto(`/incidents/${n}/rca`);
  const read = viewer.getByRole("article", { name: "Root-cause analysis" });
  await expect(read.getByRole("list", { name: "Five whys" })).toContainText(WHYS[1]);
  await expect(read.getByRole("list", { name: "Sign-off" })).toContainText(`Reviewed by: ${USERS.rm.name}`);
  await expect(read.getByRole("button")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /Regenerate|Generate RCA|Edit|Mark/ })).toHaveCount(0);
  const [{ id, v }] = await sql<{ id: string; v: number }>(
    `SELECT d.id, d."currentVersion" v FROM "Document" d JOIN "Incident" i ON i.id = d."incidentId" WHERE i.number = $1 AND d.kind = 'RCA'`,
    [n],
  );
  const pdf = await viewer.context().request.get(`/api/documents/${id}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // From the attacker's side: the responder's save, captured, replayed with the stakeholder's session.
  await responder.reload();
  await article.getByRole("button", { name: "Edit Lessons learned" }).click();
  const lessons = article.getByRole("form", { name: "Edit Lessons learned" });
  await lessons.getByRole("button", { name: "Add a technical lesson" }).click();
  await lessons.getByLabel("Technical lesson 1", { exact: true }).fill("Validate ids at the edge");
  const sent = responder.waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await lessons.getByRole("button", { name: "Save lessons learned" }).click();
  const request = await sent;
  await expect(lessons).toBeHidden();
  const [{ v: before }] = await sql<{ v: number }>(`SELECT "currentVersion" v FROM "Document" WHERE id = $1`, [id]);
  expect(before).toBe(v + 1);
  const replay = await viewer.context().request.post(request.url(), {
    headers: {
      "next-action": request.headers()["next-action"],
      "content-type": request.headers()["content-type"],
      accept: "text/x-component",
    },
    data: request.postData() ?? "",
  });
  expect(replay.status()).toBeLessThan(500);
  const [{ v: after }] = await sql<{ v: number }>(`SELECT "currentVersion" v FROM "Document" WHERE id = $1`, [id]);
  expect(after).toBe(before);
  const denied = await sql<{ actorEmail: string }>(
    `SELECT "actorEmail" FROM "AuditLog" WHERE action = 'rca.save_section' AND outcome = 'DENIED' AND "entityId" = $1`,
    [id],
  );
  expect(denied.map((d) => d.actorEmail)).toEqual([USERS.viewer.email]);
});
