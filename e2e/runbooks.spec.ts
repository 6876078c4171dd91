import { expect, test } from "@playwright/test";
import { signIn, sql, USERS } from "./support";

test("an admin creates a custom runbook, is shown what is wrong with a bad step, saves, edits to version 2; a viewer only reads", async ({
  page,
  browser,
}) => {
  const name = `Restart behind the maintenance page ${Date.now()}`;
  await signIn(page, USERS.admin.email);
  await page.goto("/services/checkout-service");
  const runbooks = page.getByRole("list", { name: "Runbooks" });
  await expect(runbooks).toContainText("Blue-green switch (demo router)");
  await page.getByRole("link", { name: "+ New runbook" }).click();

  const form = page.getByRole("form", { name: "New runbook" });
  await form.getByLabel("Runbook name").fill(name);
  await expect(form.getByLabel("Strategy")).toHaveValue("CUSTOM");

  await form.getByRole("button", { name: "+ Add step" }).click();
  const first = form.getByRole("group", { name: "Step 1" });
  await first.getByLabel("Name", { exact: true }).fill("Let the page settle");
  await first.getByLabel("Runs", { exact: true }).selectOption("WAIT");
  await first.getByLabel("Seconds", { exact: true }).fill("3600");

  await form.getByRole("button", { name: "+ Add step" }).click();
  const second = form.getByRole("group", { name: "Step 2" });
  await second.getByLabel("Name", { exact: true }).fill("Announce");
  await expect(second.getByLabel("Step ID", { exact: true })).toHaveValue("announce");
  await second.getByLabel("Runs", { exact: true }).selectOption("COMMAND");
  await second.getByLabel("Program and arguments", { exact: true }).fill("echo\nrolling back checkout");

  // The server's check, nothing saved: the bad value is named under its field and in the summary.
  await form.getByRole("button", { name: "Validate" }).click();
  await expect(form.getByRole("alert")).toContainText("1 problem to fix");
  await expect(form.getByRole("alert")).toContainText("Step 1 “Let the page settle” (config.seconds): must be at most 600 seconds");
  await expect(first.getByText("must be at most 600 seconds")).toBeVisible();

  // Saving anyway is refused the same way, and writes nothing.
  await form.getByRole("button", { name: "Create runbook" }).click();
  await expect(form.getByRole("alert")).toContainText("Not saved: 1 problem to fix");
  expect(await sql('SELECT id FROM "Runbook" WHERE name = $1', [name])).toHaveLength(0);

  await first.getByLabel("Seconds", { exact: true }).fill("5");
  await form.getByRole("button", { name: "Validate" }).click();
  await expect(form.getByRole("status")).toContainText("No problems found");
  await form.getByRole("button", { name: "Create runbook" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("Saved as version 1.")).toBeVisible();
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps).toContainText("Let the page settle");
  await expect(steps).toContainText("run echo rolling back checkout");

  // Edit: a second version, with a readable diff in the history.
  await page.getByRole("link", { name: "Edit steps" }).click();
  const edit = page.getByRole("form", { name: `Edit ${name}` });
  await edit.getByRole("group", { name: "Step 1" }).getByLabel("Seconds", { exact: true }).fill("10");
  await edit.getByLabel("What changed (optional)").fill("longer pause");
  await edit.getByRole("button", { name: "Save as version 2" }).click();

  await expect(page.getByText("Saved as version 2.")).toBeVisible();
  const history = page.getByRole("list", { name: "Version history" });
  await expect(history.getByRole("heading", { name: "Version 2" })).toBeVisible();
  await expect(history.getByRole("heading", { name: "Version 1" })).toBeVisible();
  await expect(history).toContainText("“longer pause”");
  await expect(history).toContainText("~ Changed “Let the page settle”");
  await expect(history.getByRole("table", { name: "Changes to Let the page settle" })).toContainText("config.seconds5 → 10");

  const versions = await sql<{ version: number; email: string }>(
    `SELECT v.version, u.email FROM "RunbookVersion" v JOIN "Runbook" r ON r.id = v."runbookId" JOIN "User" u ON u.id = v."createdById"
     WHERE r.name = $1 ORDER BY v.version`,
    [name],
  );
  expect(versions).toEqual([
    { version: 1, email: USERS.admin.email },
    { version: 2, email: USERS.admin.email },
  ]);

  // A stakeholder reads the same page without the controls.
  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, USERS.viewer.email);
  await viewer.goto(page.url().replace(/\?.*$/, ""));
  await expect(viewer.getByRole("list", { name: "Steps" })).toContainText("Announce");
  await expect(viewer.getByText("you are seeing this one read-only")).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Edit steps" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Archive" })).toHaveCount(0);
});
