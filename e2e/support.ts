// Shared e2e helpers: sign in through the real form, and read the database the app writes to.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { type Browser, expect, type Locator, type Page, type Request } from "@playwright/test";
import pg from "pg";
import type { SCENARIOS } from "./fixtures/seed";

export const DEMO_PASSWORD = "backout-demo";
export const USERS = {
  admin: { email: "admin@backout.demo", name: "Ada Admin", role: "Admin" },
  rm: { email: "rm@backout.demo", name: "Rita Release", role: "Release manager" },
  responder: { email: "responder@backout.demo", name: "Remy Responder", role: "Responder" },
  viewer: { email: "viewer@backout.demo", name: "Vera Stakeholder", role: "Stakeholder" },
} as const;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/incidents$/);
}

/** A page in a browser context of its own, signed in as `email` (several people on one incident). */
export async function signedInPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

/** The verdict ("Worse", "Better", "No significant change", "No data") of one metric in the incident's evidence table. */
export function verdictOf(page: Page, label: string): Locator {
  return page
    .getByRole("region", { name: "Evidence" })
    .getByRole("table", { name: "Metrics against baseline" })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: label, exact: true }) })
    .getByText(/^(Worse|Better|No significant change|No data)$/);
}

/** On the incident page: a FAST rollback proposed with the strategy and reason; then a release manager's page approves the plan. */
export async function proposeRollback(page: Page, strategy: string, reason: string) {
  const form = page.getByRole("form", { name: "Propose rollback" });
  await form.getByLabel("Urgency").selectOption("FAST");
  await form.getByLabel("Strategy").selectOption(strategy);
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Propose rollback" }).click();
  await expect(page.getByTestId("decision-status")).toHaveText("Awaiting approval");
}

export async function approvePlan(rm: Page, incidentNumber: number) {
  await rm.goto(`/incidents/${incidentNumber}`);
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByTestId("decision-status")).toHaveText("Approved");
}

/** Starts the approved run step by step (the default would run the steps up to the first destructive one). */
export async function startStepByStep(page: Page) {
  await page.reload();
  await page.getByRole("button", { name: "Start rollback" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Start step by step" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("In progress");
}

export function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return sqlOn<T>(process.env.E2E_DATABASE_URL ?? "", text, values);
}

/** A query on another database than the e2e server's (a spec that runs its own server). */
export async function sqlOn<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  // Bounded at every step, so a stuck server fails a test's set-up or clean-up instead of hanging it.
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
    query_timeout: 65_000,
  });
  client.on("error", () => {}); // a connection lost under the query is the query's error
  try {
    await client.connect();
    return (await client.query<T>(text, values)).rows;
  } finally {
    // Bounded too: `end()` waits for the server to close the connection, which a stuck one never does.
    await Promise.race([client.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }
}

type Scenarios = typeof SCENARIOS;

/** Data for one spec, made by the app's own changes in a child process (e2e/fixtures/seed.ts). */
export function seed<K extends keyof Scenarios>(scenario: K, args: Parameters<Scenarios[K]>[0] = {}): Awaited<ReturnType<Scenarios[K]>> {
  const root = path.resolve(import.meta.dirname, "..");
  const r = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "e2e/fixtures/seed.ts", scenario, JSON.stringify(args)],
    {
      cwd: root,
      env: process.env,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (r.status !== 0) throw new Error(`seed ${scenario} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
}

/** A real server-action request: the responder's browser declaring an incident titled `title` (SEV4, checkout-service). */
export async function captureDeclareAction(page: Page, title: string): Promise<Request> {
  await page.goto("/incidents/new");
  const form = page.getByRole("form", { name: "Declare incident" });
  await form.getByLabel("What is happening?").fill(title);
  await form.getByLabel("Service").selectOption({ label: "checkout-service" });
  await form.getByLabel("Severity").selectOption("SEV4");
  const captured = page.waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await form.getByRole("button", { name: "Declare incident" }).click();
  const request = await captured;
  await expect(page).toHaveURL(/\/incidents\/\d+$/);
  return request;
}

/**
 * In the open approval dialog, ticks the acknowledgement of readiness checks that failed at the
 * proposal, when there is one: the demo runbook probes blue (127.0.0.1:4101), up while a spec runs
 * the demo fleet and down otherwise.
 */
export async function acknowledgeIfAsked(page: Page) {
  const box = page.getByRole("dialog").getByRole("checkbox", { name: /approve anyway/ });
  if ((await box.count()) > 0) await box.check();
}
