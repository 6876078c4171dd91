// The demo's feature-flag rollback, driven by button clicks (issue 14): on the flag-caused incident
// the approved plan's first step turns new-order-confirmation off through the demo flag service's
// Unleash admin API, green picks the flag up, and the verify-metrics step passes on the fleet's real
// measurements; once the samples since the flag went off are back at baseline, the error rate no
// longer reads "Worse".
import { expect, test } from "@playwright/test";
import { backfillHistory } from "../demo/backfill.mjs";
import type { Fleet } from "../demo/fleet.d.mts";
import { startFleet } from "../demo/fleet.mjs";
import { approvePlan, proposeRollback, seed, signedInPage, sql, startStepByStep, USERS, verdictOf } from "./support";

test.setTimeout(300_000);

const ROUTER_TOKEN = "e2e-demo-router-token"; // the e2e server's DEMO_ROUTER_AUTH (playwright.config.ts)
const FLAGS_TOKEN = "*:*.e2e-demo-flags-token"; // the e2e server's DEMO_FLAGS_TOKEN (playwright.config.ts)
const FLAG = "new-order-confirmation";
let fleet: Fleet | null = null;
let number = 0;

test.beforeAll(async () => {
  const deployedAt = new Date(Date.now() - 15 * 60_000).toISOString();
  const made = seed("flagIncident", { deployedAt, detectedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
  number = made.incident.number;
  const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
  // As `npm start` does: a week of synthetic history, so the verdicts have their baselines.
  await backfillHistory({ backoutUrl: baseURL, token: made.token ?? "", deployedAt });
  fleet = await startFleet({
    backoutUrl: baseURL,
    ingestToken: made.token ?? "",
    routerToken: ROUTER_TOKEN,
    flagsToken: FLAGS_TOKEN,
    log: () => {},
  });
});

test.afterAll(async () => {
  await fleet?.stop();
});

/** The flag's state in production, as the flag service's admin API reports it. */
async function flagInProduction(): Promise<boolean> {
  const res = await fetch(`${fleet!.flagsUrl}/api/admin/projects/default/features/${FLAG}/environments/production`, {
    headers: { authorization: FLAGS_TOKEN },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { enabled: boolean }).enabled;
}

test("responders run the approved feature-flag plan: the flag goes off through the flag service and the metrics verify", async ({
  browser,
}) => {
  expect(await flagInProduction()).toBe(true);

  const responder = await signedInPage(browser, USERS.responder.email);
  await responder.goto(`/incidents/${number}`);
  await expect(verdictOf(responder, "Error rate")).toHaveText("Worse", { timeout: 30_000 });
  // The service's readiness may be a round from before this spec's fleet ran (another spec's pages
  // checked checkout-service a moment ago, with no flag service up): a round that sees it is ready.
  const readiness = responder.getByRole("region", { name: "Ready to roll back?" }).getByTestId("readiness-status");
  await expect(readiness).toHaveText("Ready", { timeout: 75_000 });
  await proposeRollback(responder, "FEATURE_FLAG", `Checkouts time out in the flow behind ${FLAG}; turn it off`);
  await approvePlan(await signedInPage(browser, USERS.rm.email), number);
  await startStepByStep(responder);

  const steps = responder.getByRole("list", { name: "Rollback steps" }).getByRole("listitem");
  await expect(steps).toHaveCount(3);
  for (let i = 1; i <= 3; i++) {
    await responder.getByRole("button", { name: /^Run: / }).click();
    const dialog = responder.getByRole("dialog");
    await expect(dialog).toContainText("for checkout-service");
    if (i === 1) await expect(dialog).toContainText(`turn the feature flag ${FLAG} off in production`);
    await dialog.getByRole("button", { name: "Run step" }).click();
    await expect(responder.getByTestId(`step-state-${i}`)).toHaveText("Succeeded", { timeout: 90_000 });
    if (i === 1) {
      // The step turned the flag off in the flag service itself, and read it back.
      expect(await flagInProduction()).toBe(false);
      await expect(responder.getByTestId("step-output-1")).toContainText(`${FLAG} is off in production (read back`);
    }
  }
  await expect(responder.getByTestId("step-output-3")).toContainText("error rate");
  await expect(responder.getByTestId("run-status")).toHaveText("Completed");
  // Green itself runs without the flag now (it reads it from the flag service every second).
  const green = (await (await fetch(`${fleet!.urls.green}/health`)).json()) as { flags: Record<string, boolean> };
  expect(green.flags[FLAG]).toBe(false);

  const summary = responder.getByTestId("rollback-summary");
  await expect(summary.getByTestId("summary-status")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(summary).toContainText("Feature-flag rollback (FAST)");
  await responder.reload();
  await expect(responder.getByTestId("since-switch")).toBeVisible({ timeout: 30_000 });
  await expect(verdictOf(responder, "Error rate")).toHaveText(/^(No significant change|Better)$/, { timeout: 90_000 });

  // The token never reached the page or the stored step output.
  expect(await responder.content()).not.toContain("e2e-demo-flags-token");
  const stored = await sql(
    `SELECT s.output::text AS output FROM "RollbackStep" s JOIN "RollbackRun" r ON r.id = s."runId" JOIN "Incident" i ON i.id = r."incidentId" WHERE i.number = $1`,
    [number],
  );
  expect(stored.length).toBe(3);
  for (const row of stored) expect(String(row.output)).not.toContain("e2e-demo-flags-token");
  const logged = await sql(
    `SELECT count(*)::int AS n, coalesce(string_agg(l.line, ' '), '') AS text FROM "StepLogLine" l JOIN "RollbackStep" s ON s.id = l."stepId" JOIN "RollbackRun" r ON r.id = s."runId" JOIN "Incident" i ON i.id = r."incidentId" WHERE i.number = $1`,
    [number],
  );
  expect(logged[0].n).toBeGreaterThan(0);
  expect(String(logged[0].text)).toContain(`turning ${FLAG} in production`);
  expect(String(logged[0].text)).not.toContain("e2e-demo-flags-token");
});
