import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, signIn, sql, USERS } from "./support";

test("an unauthenticated visit goes to sign-in", async ({ page }) => {
  await page.goto("/incidents");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in to Backout" })).toBeVisible();
});

for (const user of Object.values(USERS)) {
  test(`${user.role} signs in and sees name and role in the header`, async ({ page }) => {
    await signIn(page, user.email);
    await expect(page.getByTestId("current-user")).toHaveText(user.name);
    await expect(page.getByTestId("current-role")).toHaveText(user.role);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Incidents" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Action items" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Services" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(user === USERS.admin ? 1 : 0);
  });
}

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(USERS.responder.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, USERS.viewer.email);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/incidents");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an admin creates a user who can sign in, and disabling them ends their session on the next request", async ({ browser }) => {
  const email = `temp-${Date.now()}@backout.test`;
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, USERS.admin.email);
  await admin.getByRole("link", { name: "Admin" }).click();
  const form = admin.getByRole("form", { name: "Create user" });
  await form.getByLabel("Name").fill("Temp Responder");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("RESPONDER");
  await form.getByLabel("Initial password").fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByRole("status")).toContainText(`Created ${email}`);

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signIn(user, email);
  await expect(user.getByTestId("current-user")).toHaveText("Temp Responder");

  await admin.getByRole("button", { name: "Disable Temp Responder" }).click();
  await expect(admin.getByTestId(`user-${email}`)).toContainText("disabled");

  await user.goto("/incidents");
  await expect(user).toHaveURL(/\/sign-in/);
  const audit = await sql("SELECT action, outcome FROM \"AuditLog\" WHERE details->>'email' = $1 ORDER BY id", [email]);
  expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["user.create", "user.disable"]));
  await adminContext.close();
  await userContext.close();
});

test("bad input to the create-user form shows messages and creates nothing", async ({ page }) => {
  await signIn(page, USERS.admin.email);
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByText("Enter a valid email address.")).toBeVisible();
  await expect(form.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(form.getByText("Enter the person's name.")).toBeVisible();
  expect(await sql("SELECT 1 FROM \"User\" WHERE email = 'not-an-email'")).toHaveLength(0);
});
