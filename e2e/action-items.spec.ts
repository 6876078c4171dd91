// Action items from a rolled-back incident's RCA: a responder adds three with owners and due dates, the
// owner finds them under "mine", closes one with how it was verified (on the incident's timeline),
// a stakeholder reads them and cannot change them (a replayed request is refused and audited), and a
// server started days later shows the one past due as overdue and reminds its owner on sign-in.
// Then: declaring a new incident on the same service shows the earlier incident's open items.
import { type ChildProcess, spawn } from "node:child_process";
import { type Browser, type BrowserContext, expect, type Page, type Request, test } from "@playwright/test";
import { seed, signIn, sql, USERS } from "./support";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const LATER_PORT = Number(process.env.E2E_LATER_PORT ?? PORT + 37);
const DAY_MS = 86_400_000;
const LATER_DAYS = 3;

let later: ChildProcess | null = null;
const contexts: BrowserContext[] = [];

test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
test.afterAll(async () => {
  const server = later;
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
});

/** A second `next start` on the same database whose clock runs LATER_DAYS ahead (lib/clock.ts). */
async function startLaterServer() {
  later = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(LATER_PORT)], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: "e2e-only-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      BACKOUT_CLOCK_OFFSET_MS: String(LATER_DAYS * DAY_MS),
      // Only serves pages: the first server runs the workers, on the real clock.
      BACKOUT_WORKER: "0",
      BACKOUT_JOBS: "0",
    },
    stdio: "ignore",
  });
  const health = `http://127.0.0.1:${LATER_PORT}/api/health`;
  await expect.poll(async () => (await fetch(health).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
}

async function as(browser: Browser, email: string, baseURL = `http://127.0.0.1:${PORT}`): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

async function addItem(page: Page, item: { title: string; owner: string; due: string; priority: string; verify: string }) {
  const form = page.getByRole("form", { name: "New action item" });
  await form.getByLabel("What needs doing?").fill(item.title);
  await form.getByLabel("Owner").selectOption({ label: item.owner });
  await form.getByLabel("Priority").selectOption({ label: item.priority });
  await form.getByLabel("Due date").fill(item.due);
  await form.getByLabel("How will completion be verified?").fill(item.verify);
  await form.getByRole("button", { name: "Add action item" }).click();
  await expect(page.getByRole("listitem", { name: `Action item: ${item.title}` })).toBeVisible();
  // The form empties itself for the next one.
  await expect(form.getByLabel("What needs doing?")).toHaveValue("");
}

const itemRow = (title: string) =>
  sql<{ status: string; version: number; completedBy: string | null; completionNote: string | null }>(
    `SELECT a.status::text, a.version, u.name AS "completedBy", a."completionNote"
     FROM "ActionItem" a LEFT JOIN "User" u ON u.id = a."completedById" WHERE a.title = $1`,
    [title],
  ).then((rows) => rows[0]);

test("three action items from a rolled-back incident: mine, done on the timeline, read-only for a stakeholder, overdue later", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const steps = [{ key: "switch", name: "Switch traffic", executor: "WAIT", config: { seconds: 1 } }];
  const made = seed("rolledBack", { title: `Pool exhaustion ${tag}`, service: { name: "orders", runbook: { strategy: "CUSTOM", steps } } });
  const owner = seed("user", { role: "RESPONDER", name: `Olive Owner ${tag}` });
  const incidentPath = `/incidents/${made.incident.number}`;
  const items = [
    { title: `Alert on pool exhaustion ${tag}`, owner: owner.name, due: day(1), priority: "High", verify: "The alert fires in staging" },
    { title: `Set DATABASE_POOL_SIZE ${tag}`, owner: owner.name, due: day(14), priority: "High", verify: "Deploy fails without it" },
    { title: `Load test the pool ${tag}`, owner: owner.name, due: day(60), priority: "Medium", verify: "Report attached" },
  ];

  // A responder writes the rolled-back incident's RCA and adds three items from it.
  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`${incidentPath}/rca`);
  await responder.getByRole("button", { name: "Generate RCA" }).click();
  await expect(responder.getByRole("button", { name: "Regenerate from the records" })).toBeVisible();
  for (const item of items) await addItem(responder, item);
  // Each is on the incident's timeline, with who added it.
  await responder.goto(incidentPath);
  const timeline = responder.locator("#timeline");
  await expect(timeline.getByText(`${USERS.responder.name} added action item "${items[0]?.title}"`)).toBeVisible();

  // The owner finds all three under "mine", none overdue yet.
  const ownerPage = await as(browser, owner.email);
  await expect(ownerPage.getByRole("heading", { name: /overdue action item/ })).toHaveCount(0);
  await ownerPage.goto("/action-items");
  await expect(ownerPage.getByRole("link", { name: "Mine (3)" })).toHaveAttribute("aria-current", "page");
  for (const item of items) await expect(ownerPage.getByRole("listitem", { name: `Action item: ${item.title}` })).toBeVisible();
  await expect(ownerPage.locator("li[data-overdue]")).toHaveCount(0);

  // The owner closes the second one with how it was verified: on the incident's timeline.
  await ownerPage.goto(incidentPath);
  const second = ownerPage.getByRole("listitem", { name: `Action item: ${items[1]?.title}` });
  await second.getByRole("button", { name: "Mark done…" }).click();
  await second.getByRole("button", { name: "Close as done" }).click();
  await expect(second.getByText("Say how you verified it is done.")).toBeVisible();
  await second.getByLabel("How did you verify it is done?").fill("A staging deploy without the variable now fails its check");
  await second.getByRole("button", { name: "Close as done" }).click();
  await expect(second.getByText("Done", { exact: true })).toBeVisible();
  await expect(second.getByText(`by ${owner.name}`)).toBeVisible();
  await expect(
    ownerPage
      .locator("#timeline")
      .getByText(
        `${owner.name} closed action item "${items[1]?.title}" as done — verified: A staging deploy without the variable now fails its check`,
      ),
  ).toBeVisible();
  expect(await itemRow(items[1]?.title ?? "")).toMatchObject({ status: "DONE", completedBy: owner.name });

  // The responder starts the third (the request a stakeholder will replay).
  await responder.reload();
  const third = responder.getByRole("listitem", { name: `Action item: ${items[2]?.title}` });
  const captured = responder.waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await third.getByRole("button", { name: "Start" }).click();
  const request = await captured;
  await expect(third.getByText("In progress", { exact: true })).toBeVisible();

  // A stakeholder reads them all and has nothing to change them with…
  const viewer = await as(browser, USERS.viewer.email);
  // A stakeholder's page folds the working sections; the section's link opens its fold.
  await viewer.goto(`${incidentPath}#action-items`);
  for (const item of items) await expect(viewer.getByRole("listitem", { name: `Action item: ${item.title}` })).toBeVisible();
  const section = viewer.locator("#action-items");
  await expect(section.getByRole("button")).toHaveCount(0);
  await expect(viewer.getByRole("form", { name: "New action item" })).toHaveCount(0);
  await viewer.goto(`/action-items?view=all&incident=${made.incident.number}`);
  await expect(viewer.getByRole("link", { name: "All (3)" })).toBeVisible();

  // …and a replayed request (a valid change for someone who may) is refused and audited.
  const body = (request.postData() ?? "").replace('"IN_PROGRESS"', '"NOT_STARTED"').replace('"version":1', '"version":2');
  expect(body).toContain('"NOT_STARTED"');
  const headers = request.headers();
  const response = await viewer.context().request.post(request.url(), {
    headers: {
      "next-action": headers["next-action"] ?? "",
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: headers.accept ?? "text/x-component",
      "next-router-state-tree": headers["next-router-state-tree"] ?? "",
    },
    data: body,
  });
  expect(await response.text()).toContain("Stakeholders cannot do this");
  expect(await itemRow(items[2]?.title ?? "")).toMatchObject({ status: "IN_PROGRESS", version: 2 });
  const denied = await sql(
    `SELECT 1 FROM "AuditLog" a JOIN "User" u ON u.id = a."actorId"
     WHERE u.email = $1 AND a.outcome = 'DENIED' AND a.action = 'action_item.set_status' AND a."incidentId" = $2`,
    [USERS.viewer.email, made.incident.id],
  );
  expect(denied).toHaveLength(1);

  // Days later (a server whose clock runs ahead): the first item is past due. Its owner is reminded
  // on sign-in and it stands out on the page; the others are not overdue.
  await startLaterServer();
  const ownerLater = await as(browser, owner.email, `http://127.0.0.1:${LATER_PORT}`);
  const reminder = ownerLater.getByRole("region", { name: "You have 1 overdue action item" });
  await expect(reminder).toBeVisible();
  await expect(reminder.getByRole("link", { name: items[0]?.title })).toBeVisible();
  await ownerLater.goto("/action-items?view=overdue");
  await expect(ownerLater.getByRole("link", { name: "Overdue (1)" })).toBeVisible();
  const overdue = ownerLater.getByRole("listitem", { name: `Action item: ${items[0]?.title}` });
  await expect(overdue).toHaveAttribute("data-overdue", "true");
  await expect(overdue.getByText(`Overdue by ${LATER_DAYS - 1} d`)).toBeVisible();
  await expect(ownerLater.locator("li[data-overdue]")).toHaveCount(1);
});

test("declaring a new incident on the same service shows the earlier incident's lessons and open action items", async ({ browser }) => {
  const tag = Date.now().toString(36);
  const earlier = seed("withActionItems", {
    title: `Connection-pool exhaustion ${tag}`,
    service: {
      name: "payments",
      release: { version: "v3.1.0", previousVersion: "v3.0.0", deployedAt: new Date(Date.now() - 30 * 60_000).toISOString() },
    },
    lessons: { technical: [`A missing DATABASE_POOL_SIZE exhausts the pool ${tag}`], process: [`Review config diffs at deploy ${tag}`] },
    items: [
      { title: `Add DATABASE_POOL_SIZE to the manifest ${tag}`, priority: "HIGH" },
      { title: `Alert on pool saturation ${tag}`, priority: "MEDIUM" },
    ],
  });
  const responder = await as(browser, USERS.responder.email);
  await responder.goto("/incidents/new");
  const form = responder.getByRole("form", { name: "Declare incident" });
  await form.getByLabel("What is happening?").fill(`Payments failing again ${tag}`);
  await form.getByLabel("Service").selectOption({ label: earlier.service.name });
  await form.getByLabel("Severity").selectOption("SEV2");
  // The service's recorded deploy fills in the versions and when it went out.
  await expect(form.getByLabel("Bad version (deployed)")).toHaveValue("v3.1.0");
  await form.getByRole("button", { name: "Declare incident" }).click();
  await expect(responder).toHaveURL(/\/incidents\/\d+$/);
  const lessons = responder.getByRole("list", { name: "Earlier incidents on this service" });
  await expect(lessons.getByRole("link", { name: `INC-${earlier.incident.number} Connection-pool exhaustion ${tag}` })).toBeVisible();
  const ref = `INC-${earlier.incident.number}`;
  await expect(lessons.getByRole("list", { name: `Technical lessons of ${ref}` })).toHaveText(
    `A missing DATABASE_POOL_SIZE exhausts the pool ${tag}`,
  );
  await expect(lessons.getByRole("list", { name: `Process lessons of ${ref}` })).toHaveText(`Review config diffs at deploy ${tag}`);
  const open = lessons.getByRole("list", { name: `Open action items of ${ref}` });
  await expect(open.getByText(`Add DATABASE_POOL_SIZE to the manifest ${tag}`)).toBeVisible();
  await expect(open.getByText(`Alert on pool saturation ${tag}`)).toBeVisible();
  await expect(open.getByText(/action item not started/)).toHaveCount(2);
});
