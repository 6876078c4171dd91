// e2e in Debian's Chromium (Playwright's own browser download cannot run here), against the
// production build served by `next start`, on a fresh database made by scripts/test.ts.
import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./lib/testing/chromium";

function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error("Chromium not found: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.");
  return found;
}

const databaseUrl = process.env.E2E_DATABASE_URL;
if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set: run the e2e tests through `npm test` (scripts/test.ts).");

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_ROUTER_TOKEN = "e2e-demo-router-token";
export const E2E_FLAGS_TOKEN = "*:*.e2e-demo-flags-token";

export default defineConfig({
  testDir: "e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // One browser at a time on CI: with the demo fleet, the app server and Chromium sharing two
  // cores, parallel workers starve each other into timeouts.
  workers: process.env.CI ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    // No trace: its DOM snapshots before and after every action run on the page's main thread, and
    // e2e/fast-path.spec.ts measures the app's waits there (150–350 ms of them were the trace's, seen
    // in a Chromium trace of the walk); a per-spec `test.use` would move that spec to a worker of its
    // own, a fresh browser at the end of the suite. When debugging a failure: `--trace on`.
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${E2E_PORT}`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "e2e-only-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      // The demo runbook's secrets, as npm start provides them (the rollback spec starts the fleet).
      DEMO_ROUTER_AUTH: `Bearer ${E2E_ROUTER_TOKEN}`,
      DEMO_FLAGS_TOKEN: E2E_FLAGS_TOKEN,
      BACKOUT_NOTIFY_WEBHOOK: "http://127.0.0.1:4100/admin/notify",
    },
  },
});
