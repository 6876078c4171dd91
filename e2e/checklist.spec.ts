// The verification checklist filled together, live: two people in two browsers (then on two app
// processes sharing one database) see each other's tick and note within a second, without a reload,
// and each sees who else is viewing.
import { type ChildProcess, spawn } from "node:child_process";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { seed, signIn, USERS } from "./support";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const SECOND_PORT = Number(process.env.E2E_SECOND_PORT ?? PORT + 10);
const LIVE_MS = 1000;

let second: ChildProcess | null = null;
const contexts: BrowserContext[] = [];

// Pages first (their event streams keep a server's graceful shutdown waiting), then the second server.
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
test.afterAll(async () => {
  await stopSecond();
});

/** A second `next start` on the same database (the first is Playwright's webServer). */
async function startSecond() {
  second = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(SECOND_PORT)], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: "e2e-only-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      // The first instance runs the step worker and the metric evaluator; this one only serves.
      BACKOUT_WORKER: "0",
      BACKOUT_CHECKLIST_EVALUATOR: "0",
    },
    stdio: "ignore",
  });
  const health = `http://127.0.0.1:${SECOND_PORT}/api/health`;
  await expect.poll(async () => (await fetch(health).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
}

async function stopSecond(signal: NodeJS.Signals = "SIGTERM") {
  const server = second;
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill(signal);
  const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** An incident whose approved rollback has just finished, run by the app's own worker. */
function rolledBackIncident(title: string): number {
  const steps = [{ key: "switch", name: "Switch traffic", executor: "WAIT", config: { seconds: 1 } }];
  return seed("rolledBack", { title, service: { name: "checkout", runbook: { strategy: "CUSTOM", steps } } }).incident.number;
}

async function as(browser: Browser, email: string, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Marks the page so a reload (which would lose the mark) cannot pass for a live update. */
async function markNoReload(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

async function tickAndNote(writer: Page, reader: Page, label: string, note: string) {
  await markNoReload(reader);
  const writerItem = writer.getByRole("listitem", { name: label });
  const readerItem = reader.getByRole("listitem", { name: label });
  await expect(readerItem.getByRole("checkbox", { name: label })).not.toBeChecked();

  await writerItem.getByRole("checkbox", { name: label }).check();
  await expect(writerItem.getByTestId("item-changed-by")).toContainText(USERS.responder.name);
  await expect(readerItem.getByRole("checkbox", { name: label })).toBeChecked({ timeout: LIVE_MS });
  await expect(readerItem.getByTestId("item-changed-by")).toContainText(USERS.responder.name, { timeout: LIVE_MS });

  await writerItem.getByRole("button", { name: `Edit “${label}”` }).click();
  await writerItem.getByLabel("Note").fill(note);
  await writerItem.getByRole("button", { name: "Save" }).click();
  await expect(writerItem.getByTestId("item-note")).toHaveText(note);
  await expect(readerItem.getByTestId("item-note")).toHaveText(note, { timeout: LIVE_MS });
  expect(await stillSamePage(reader)).toBe(true);
}

async function expectViewers(page: Page, names: string[]) {
  const list = page.getByRole("list", { name: "Viewing now" });
  for (const name of names) await expect(list).toContainText(name);
}

test.setTimeout(180_000);

test("two people fill the checklist together: a tick and a note appear in the other browser within a second", async ({ browser }) => {
  const number = rolledBackIncident(`Checklist e2e ${Date.now()}`);
  const base = `http://127.0.0.1:${PORT}`;
  const responder = await as(browser, USERS.responder.email, base);
  const rm = await as(browser, USERS.rm.email, base);
  await responder.goto(`/incidents/${number}`);
  await rm.goto(`/incidents/${number}`);

  await responder.getByRole("button", { name: "Start verification" }).click();
  await expect(responder.getByTestId("checklist")).toBeVisible();
  await expect(rm.getByTestId("checklist")).toBeVisible({ timeout: 5000 });
  await expectViewers(responder, [USERS.responder.name, USERS.rm.name]);
  await expectViewers(rm, [USERS.responder.name, USERS.rm.name]);

  await tickAndNote(responder, rm, "Connection pool healthy", "Pool at 40 of 100, no waits");

  // The 24-hour items are closed in the browser as on the server.
  await expect(rm.getByRole("checkbox", { name: "No new incidents" })).toBeDisabled();
});

test("the verification report's versions: read one, compare two, download each; a hostile note stays text", async ({ browser }) => {
  const number = await rolledBackIncident(`Report versions e2e ${Date.now()}`);
  const responder = await as(browser, USERS.responder.email, `http://127.0.0.1:${PORT}`);
  await responder.goto(`/incidents/${number}`);
  await responder.getByRole("button", { name: "Start verification" }).click();
  await responder.getByRole("button", { name: "Render report now" }).click();
  await expect(responder.getByRole("link", { name: "Open v1" })).toBeVisible();

  const label = "Connection pool healthy";
  const note = "pool | ok <script>alert(1)</script> [x](javascript:alert(1))";
  const item = responder.getByRole("listitem", { name: label });
  await item.getByRole("checkbox", { name: label }).check();
  // The tick is saved (and its new version known) before the note is edited on top of it.
  await expect(item.getByTestId("item-changed-by")).toContainText(USERS.responder.name);
  await item.getByRole("button", { name: `Edit “${label}”` }).click();
  await item.getByLabel("Note").fill(note);
  await item.getByRole("button", { name: "Save" }).click();
  await expect(item.getByTestId("item-note")).toHaveText(note);
  await responder.getByRole("button", { name: "Render report now" }).click();
  await expect(responder.getByRole("link", { name: "Open v2" })).toBeVisible();

  // The incident's documents: the report with both versions; the old one reads as old.
  await responder.getByRole("link", { name: "Documents", exact: true }).click();
  await expect(responder.getByRole("heading", { name: "Documents", level: 1 })).toBeVisible();
  await responder.screenshot({ path: "test-results/documents-list.png", fullPage: true });
  // The rolled-back run has its summary too; the report is the one with two versions.
  const report = responder.getByRole("article", { name: `Verification report — INC-${number}` });
  await report.getByRole("link", { name: "Read version 1" }).click();
  await expect(responder.getByRole("status").filter({ hasText: "This is version 1, not the current one." })).toBeVisible();
  await expect(responder.getByText(note)).toHaveCount(0);
  await responder.getByRole("link", { name: "Read version 2" }).click();
  await expect(responder.getByText(`Note: ${note}`)).toBeVisible();
  await responder.goBack();
  await responder.goBack();

  // Compare 1 with 2: the tick and the note, field by field and line by line.
  await report.getByRole("button", { name: "Compare" }).click();
  await expect(responder.getByRole("heading", { name: "Compare versions" })).toBeVisible();
  await expect(responder.getByTestId("compare-summary")).toContainText("From version 1 to 2");
  const fields = responder.getByRole("table", { name: /Fields of the document that differ/ });
  await expect(fields).toContainText('"PENDING"');
  await expect(fields).toContainText('"PASSED"');
  await expect(fields).toContainText(note);
  await expect(responder.locator('[data-change="added"]').filter({ hasText: "Connection pool healthy" })).toHaveCount(1);
  await responder.screenshot({ path: "test-results/documents-compare.png", fullPage: true });

  // Each version downloads as written; the note is escaped Markdown, not HTML or a link.
  const documentId = new URL(responder.url()).pathname.split("/")[4];
  const v1 = await responder.request.get(`/api/documents/${documentId}/markdown?version=1`);
  const v2 = await responder.request.get(`/api/documents/${documentId}/markdown?version=2`);
  expect(v1.status()).toBe(200);
  expect(v2.headers()["content-disposition"]).toContain(`INC-${number}-verification-report-v2.md`);
  expect(await v1.text()).not.toContain("alert(1)");
  expect(await v2.text()).toContain("pool \\| ok \\<script>alert(1)\\</script> \\[x]\\(javascript:alert(1))");
  expect((await responder.request.get(`/api/documents/${documentId}/markdown?version=3`)).status()).toBe(404);
  expect((await responder.request.get(`/api/documents/${documentId}/markdown?version=x`)).status()).toBe(400);
  // Without a session, nothing.
  const anonymous = await browser.newContext({ baseURL: `http://127.0.0.1:${PORT}` });
  contexts.push(anonymous);
  expect((await anonymous.request.get(`/api/documents/${documentId}/markdown`, { maxRedirects: 0 })).status()).not.toBe(200);
});

test("the same across two app processes on one database", async ({ browser }) => {
  const number = rolledBackIncident(`Checklist 2-instance e2e ${Date.now()}`);
  const secondBase = `http://127.0.0.1:${SECOND_PORT}`;
  await startSecond();

  const responder = await as(browser, USERS.responder.email, `http://127.0.0.1:${PORT}`);
  const rm = await as(browser, USERS.rm.email, secondBase);
  await responder.goto(`/incidents/${number}`);
  await responder.getByRole("button", { name: "Start verification" }).click();
  await expect(responder.getByTestId("checklist")).toBeVisible();
  await rm.goto(`/incidents/${number}`);
  await expect(rm.getByTestId("checklist")).toBeVisible();
  await expectViewers(responder, [USERS.responder.name, USERS.rm.name]);
  await expectViewers(rm, [USERS.responder.name, USERS.rm.name]);

  await tickAndNote(responder, rm, "Replication working", "Replica lag under 1 s");

  // The reader's instance dies; a change is made meanwhile; when it is back, the reader's page
  // reconnects and catches up (the snapshot is fetched on reconnect) without a reload.
  await markNoReload(rm);
  await stopSecond("SIGKILL");
  await expect(rm.getByTestId("presence").getByRole("status")).toHaveText("Reconnecting…");
  await responder.getByRole("checkbox", { name: "Backups running" }).check();
  await expect(responder.getByRole("listitem", { name: "Backups running" }).getByTestId("item-changed-by")).toBeVisible();
  await startSecond();
  await expect(rm.getByRole("checkbox", { name: "Backups running" })).toBeChecked({ timeout: 20_000 });
  expect(await stillSamePage(rm)).toBe(true);
});
