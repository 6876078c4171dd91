// Sign-in and sessions from the attacker's side: a crafted callback cannot send a signed-in person
// to another site, a captured session cookie stops working once its session is ended, and wrong
// passwords are throttled — checked with raw requests and in the database, not only on screen.
import { type APIRequestContext, type BrowserContext, expect, request, test } from "@playwright/test";
import { DEMO_PASSWORD, seed, sql } from "./support";

async function signInThroughForm(page: import("@playwright/test").Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("the callback after sign-in", () => {
  test("a backslash callback that browsers read as another host ends on /incidents", async ({ page, baseURL }) => {
    const { email } = seed("user", {});
    await page.goto("/sign-in?callbackUrl=/%5Cevil.example/");
    await signInThroughForm(page, email);
    await expect(page).toHaveURL(`${baseURL}/incidents`);
  });

  test("a protocol-relative callback after dot segments ends on /incidents", async ({ page, baseURL }) => {
    const { email } = seed("user", {});
    await page.goto("/sign-in?callbackUrl=/..//evil.example/");
    await signInThroughForm(page, email);
    await expect(page).toHaveURL(`${baseURL}/incidents`);
  });

  test("a same-site path is where sign-in lands", async ({ page, baseURL }) => {
    const { email } = seed("user", {});
    await page.goto("/sign-in?callbackUrl=/incidents/1");
    await signInThroughForm(page, email);
    await expect(page).toHaveURL(`${baseURL}/incidents/1`);
  });

  test("the page that asked for a session (an absolute same-origin callback) is where sign-in returns", async ({ page, baseURL }) => {
    const { email } = seed("user", {});
    await page.goto("/incidents/1");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
    await signInThroughForm(page, email);
    await expect(page).toHaveURL(`${baseURL}/incidents/1`);
  });
});

/** The session cookie of a signed-in browser, as a raw Cookie header an attacker would replay. */
async function cookieHeader(context: BrowserContext): Promise<string> {
  const cookies = await context.cookies();
  const session = cookies.filter((c) => c.name.includes("authjs.session-token"));
  expect(session.length, "a session cookie").toBeGreaterThan(0);
  return session.map((c) => `${c.name}=${c.value}`).join("; ");
}

async function replay(baseURL: string | undefined, cookie: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { cookie } });
}

async function expectSessionEnded(raw: APIRequestContext) {
  const api = await raw.get("/api/incidents/1/evidence");
  expect(api.status()).toBe(401);
  const stream = await raw.get("/api/incidents/1/stream", { timeout: 10_000 });
  expect(stream.status()).toBe(401);
  const page = await raw.get("/incidents", { maxRedirects: 0 });
  expect(page.status()).toBeGreaterThanOrEqual(300);
  expect(page.status()).toBeLessThan(400);
  expect(page.headers().location).toMatch(/\/sign-in/);
}

test.describe("a captured session cookie", () => {
  test("stops working on the API and on pages after its browser signs out", async ({ browser, baseURL }) => {
    const { email } = seed("user", {});
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/sign-in");
    await signInThroughForm(page, email);
    await expect(page).toHaveURL(/\/incidents$/);
    const raw = await replay(baseURL, await cookieHeader(context));
    // The captured cookie works while the session is open: the 401 below is the sign-out's doing.
    expect((await raw.get("/api/incidents/1/evidence")).status()).toBe(200);
    expect((await raw.get("/incidents", { maxRedirects: 0 })).status()).toBe(200);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await expectSessionEnded(raw);
    const [row] = await sql('SELECT s."endReason" FROM "UserSession" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1', [email]);
    expect(row?.endReason).toBe("sign-out");
    await raw.dispose();
    await context.close();
  });

  test("stops working when the person signs out everywhere from another browser", async ({ browser, baseURL }) => {
    const { email, name } = seed("user", {});
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    for (const context of [laptop, phone]) {
      const page = await context.newPage();
      await page.goto("/sign-in");
      await signInThroughForm(page, email);
      await expect(page.getByTestId("current-user")).toHaveText(name);
    }
    const raw = await replay(baseURL, await cookieHeader(laptop));
    expect((await raw.get("/api/incidents/1/evidence")).status()).toBe(200);
    const phonePage = phone.pages()[0];
    await phonePage.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(phonePage).toHaveURL(/\/sign-in/);
    await expectSessionEnded(raw);
    await raw.dispose();
    await laptop.close();
    await phone.close();
  });
});

async function deniedCodes(email: string): Promise<string[]> {
  const rows = await sql<{ code: string }>(
    `SELECT details->>'code' AS code FROM "AuditLog" WHERE action = 'auth.sign_in' AND outcome = 'DENIED' AND details->>'email' = $1 ORDER BY id`,
    [email],
  );
  return rows.map((r) => r.code);
}

test("wrong passwords are throttled with a clear message, on the form and on Auth.js' own endpoint, audited", async ({
  browser,
  baseURL,
}) => {
  const { email } = seed("user", {});
  // An address of this test's own: the throttle per address must not slow down the other specs.
  const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  for (let i = 0; i < 5; i++) {
    await signInThroughForm(page, email, `wrong-password-${i}`);
    // One refusal recorded before the next try (the alert's text is the same each time).
    await expect.poll(() => deniedCodes(email)).toHaveLength(i + 1);
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(/Email or password is incorrect/);
  }
  // The right password, while the account is backing off: refused without being checked.
  await signInThroughForm(page, email);
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Too many attempts; try again in 1 minute.");
  await expect(page).toHaveURL(/\/sign-in/);

  // The same through Auth.js' endpoint, as a script would post it.
  const raw = await request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": address } });
  const { csrfToken } = await (await raw.get("/api/auth/csrf")).json();
  const posted = await raw.post("/api/auth/callback/credentials", { form: { email, password: DEMO_PASSWORD, csrfToken }, maxRedirects: 0 });
  expect(posted.headers().location).toMatch(/error=CredentialsSignin&code=throttled/);
  expect(posted.headers()["set-cookie"] ?? "").not.toMatch(/session-token=[^;]/);

  expect(await deniedCodes(email)).toEqual(["forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "throttled", "throttled"]);
  await raw.dispose();
  await context.close();
});
