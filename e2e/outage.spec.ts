// A database outage seen from the browser: an app instance whose PostgreSQL goes away answers its
// pages 503 "Database unavailable, retrying" (a page that reloads itself), never a 500, an open
// incident page's live badge says "Delayed", and both come back by themselves once the database
// answers again. The database is reached through a TCP
// relay the test cuts, as when the database host goes away.
import { type ChildProcess, spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { type Relay, startRelay } from "@/lib/testing/tcp-relay";
import { signIn, USERS } from "./support";

test.setTimeout(150_000);

const PORT = Number(process.env.E2E_PORT ?? 3100) + 30;
const BASE = `http://127.0.0.1:${PORT}`;
let server: ChildProcess | null = null;
let relay: Relay | null = null;

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server?.once("exit", r));
    server.kill("SIGTERM");
    const timer = setTimeout(() => server?.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  await relay?.close();
});

test("during an outage pages answer 'Database unavailable, retrying' (never a 500) and the live badge says Delayed; both recover by themselves", async ({
  browser,
}) => {
  relay = await startRelay(process.env.E2E_DATABASE_URL as string);
  server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env: {
      ...process.env,
      DATABASE_URL: relay.url,
      AUTH_SECRET: "e2e-only-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      // This instance only serves pages: no step worker, no jobs of its own.
      BACKOUT_WORKER: "0",
      BACKOUT_JOBS: "0",
    },
    stdio: "ignore",
  });
  await expect.poll(async () => (await fetch(`${BASE}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);

  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, USERS.viewer.email);
  await expect(page.getByRole("table", { name: "Ongoing incidents" })).toBeVisible();
  // An incident page open in another tab: its live badge tells the truth about the server's own
  // listening connection.
  const incident = await context.newPage();
  await incident.goto("/incidents/1");
  const badge = incident.getByTestId("presence").getByRole("status");
  await expect(badge).toHaveText("Live");

  await relay.cut();
  await expect(badge).toHaveText("Delayed", { timeout: 2_000 });
  // The page the browser asks for, and the incident page fetched as a raw request: neither a 500.
  const during = await page.goto("/incidents");
  expect(during?.status()).toBe(503);
  await expect(page.getByRole("alert")).toContainText("Database unavailable, retrying");
  const raw = await context.request.get("/incidents/1", { headers: { accept: "text/html" }, maxRedirects: 0 });
  expect(raw.status()).toBe(503);
  expect(await raw.text()).toContain("Database unavailable, retrying");
  const health = await context.request.get("/api/health");
  expect(health.status()).toBe(503);

  await relay.restore();
  // The server listens again within a second (its back-off is bounded at 1 s); the event then reaches the page.
  await expect(badge).toHaveText("Live", { timeout: 3_000 });
  // It reloads itself (every 5 s) and is the page again, without anyone touching it.
  await expect(page.getByRole("table", { name: "Ongoing incidents" })).toBeVisible({ timeout: 30_000 });
  await context.close();
});
