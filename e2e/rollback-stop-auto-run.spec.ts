// "Stop after this step" on a run-until, by clicks: the running step finishes, the next one does
// not start, the run stays in progress and the operator carries on step by step.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { seed, signIn, USERS } from "./support";

test.setTimeout(90_000);

test("stopping the run-until after the running step keeps the run for step-by-step work", async ({ browser }) => {
  const plan = [
    { key: "slow", name: "Warm the v1 cache", executor: "WAIT", config: { seconds: 6 } },
    { key: "flag", name: "Turn the v2 flag off", executor: "WAIT", config: { seconds: 1 } },
  ];
  const { number } = seed("incident", {
    title: `Payroll stop e2e ${randomUUID().slice(0, 6)}`,
    badVersion: "v2",
    previousVersion: "v1",
    service: { name: "payroll", runbook: { name: "Payroll rollback", strategy: "CUSTOM", steps: plan } },
  }).incident;

  const signedIn = async (email: string) => {
    const p = await (await browser.newContext()).newPage();
    await signIn(p, email);
    await p.goto(`/incidents/${number}`);
    return p;
  };
  const page = await signedIn(USERS.responder.email);
  const propose = page.getByRole("form", { name: "Propose rollback" });
  await propose.getByLabel("Urgency").selectOption("FAST");
  await propose.getByLabel("Strategy").selectOption("CUSTOM");
  await propose.getByLabel("Reason").fill("v2 pays twice; back to v1");
  await propose.getByRole("button", { name: "Propose rollback" }).click();
  await expect(page.getByTestId("decision-status")).toHaveText("Awaiting approval");
  const rm = await signedIn(USERS.rm.email);
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  // No destructive step: no name to type.
  await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByTestId("decision-status")).toHaveText("Approved");
  await page.reload();
  // "Start rollback" runs the steps until the first destructive one (here: all of them), as its confirmation lists.
  await page.getByRole("button", { name: "Start rollback" }).click();
  await expect(page.getByRole("dialog").getByRole("list", { name: "Steps that will run" }).getByRole("listitem")).toHaveCount(2);
  await page.getByRole("dialog").getByRole("button", { name: "Run 2 steps" }).click();
  await expect(page.getByTestId("step-state-1")).toHaveText("Running", { timeout: 15_000 });

  const autoRun = page.getByTestId("auto-run");
  await autoRun.getByRole("button", { name: "Stop after this step…" }).click();
  await expect(autoRun.getByRole("form", { name: "Stop after this step" })).toContainText("The step in progress finishes");
  await autoRun.getByRole("button", { name: "Stop after this step", exact: true }).click();
  await expect(autoRun).toHaveCount(0);
  await expect(page.getByTestId("step-state-1")).toHaveText("Running"); // not killed
  await expect(page.getByText('Remy Responder stopped it; step 1 "Warm the v1 cache" finishes normally')).toBeVisible();

  await expect(page.getByTestId("step-state-1")).toHaveText("Succeeded", { timeout: 20_000 });
  await page.waitForTimeout(1500);
  await expect(page.getByTestId("step-state-2")).toHaveText("Not started");
  await expect(page.getByTestId("run-status")).toHaveText("In progress");
  await expect(page.getByRole("button", { name: "Run the remaining steps…" })).toBeVisible();
});
