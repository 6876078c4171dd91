// The live channel in two browsers: a responder and a release manager on the same incident see
// each other in the presence list; what one does (an impact edit on the timeline, a rollback step
// run from a button) reaches the other page as it happens, without a reload; closing a page
// takes its viewer off the other's list.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { seed, signIn, USERS } from "./support";

test.setTimeout(120_000);

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

/** A fresh incident with an approved custom plan of one command step that prints two lines, 2 s apart. */
function incidentWithApprovedPlan(title: string): number {
  const steps = [
    {
      key: "say",
      name: "Print progress",
      executor: "COMMAND",
      config: { argv: ["sh", "-c", "echo live-line-1; sleep 2; echo live-line-2"], timeoutMs: 20_000 },
    },
  ];
  return seed("approved", { title, service: { name: "live", runbook: { strategy: "CUSTOM", steps } } }).incident.number;
}

test("two users on one incident see each other and each other's changes live", async ({ browser }) => {
  const number = incidentWithApprovedPlan(`Live e2e ${Date.now()}`);
  const responder = await as(browser, USERS.responder.email);
  const rm = await as(browser, USERS.rm.email);
  await responder.goto(`/incidents/${number}`);
  await rm.goto(`/incidents/${number}`);

  // Presence: each page lists both viewers, and says it is live.
  for (const page of [responder, rm]) {
    const viewing = page.getByRole("list", { name: "Viewing now" });
    await expect(viewing).toContainText(USERS.responder.name);
    await expect(viewing).toContainText(USERS.rm.name);
    await expect(page.getByTestId("presence").getByRole("status")).toHaveText("Live");
  }

  // Anything below that shows up on the release manager's page must come without a reload.
  await rm.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  const stillSamePage = () => rm.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  // A timeline change by the responder.
  await responder.getByRole("button", { name: "Edit impact" }).click();
  const impact = responder.getByRole("form", { name: "Edit user impact" });
  await impact.getByLabel("Users affected").fill("1234");
  await impact.getByRole("button", { name: "Save impact" }).click();
  await expect(rm.getByRole("list", { name: "Incident timeline" })).toContainText(`${USERS.responder.name} updated user impact`);

  // A rollback step run by the responder: its state and its output lines reach the other page.
  await responder.getByRole("button", { name: "Start rollback" }).click();
  // Step by step here (the default runs the steps until the first destructive one: e2e/fast-path.spec.ts).
  await responder.getByRole("dialog").getByRole("button", { name: "Start step by step" }).click();
  await expect(rm.getByTestId("run-status")).toHaveText("In progress");
  await responder.getByRole("button", { name: "Run: Print progress" }).click();
  await responder.getByRole("dialog").getByRole("button", { name: "Run step" }).click();
  const output = rm.getByTestId("step-output-1");
  // The first line arrives while the step is still running (the second comes 2 s later).
  await expect(output).toContainText("live-line-1");
  await expect(rm.getByTestId("step-state-1")).toHaveText("Running");
  await expect(output).toContainText("live-line-2");
  await expect(rm.getByTestId("step-state-1")).toHaveText("Succeeded");
  await expect(rm.getByTestId("run-status")).toHaveText("Completed");
  expect(await stillSamePage()).toBe(true);

  // The responder leaves: the release manager's list drops them.
  await responder.context().close();
  const viewing = rm.getByRole("list", { name: "Viewing now" });
  await expect(viewing).not.toContainText(USERS.responder.name);
  await expect(viewing).toContainText(USERS.rm.name);
  expect(await stillSamePage()).toBe(true);
});
