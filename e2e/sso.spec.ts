// Single sign-on through a real OpenID Connect provider (the `oidc-provider` package, started by
// this spec on localhost) against a `next start` of its own, configured by the environment the
// README documents: the provider's groups mapped to roles, a default role for the rest, and
// password sign-in switched off. Asserted in the browser and in the database (users, session rows,
// audit), and from outside the UI (the credentials endpoint refuses).
import { type ChildProcess, spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { type Browser, expect, test } from "@playwright/test";
import Provider from "oidc-provider";
import { sql, USERS } from "./support";

test.setTimeout(180_000);

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.E2E_PORT ?? 3100) + 50;
// By name: Next.js calls loopback addresses "localhost" in route handlers, and the redirect URI the
// sign-in names must be the one the code exchange names.
const BASE = `http://localhost:${PORT}`;
const CLIENT = { id: "backout-e2e", secret: "e2e-client-secret-not-for-production" };

/** The identity provider's people: a release manager by group, one in no mapped group, one unverified, and an existing Backout user. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  rita: { email: "rita.sso@example.test", email_verified: true, name: "Rita Single-Sign-On", groups: ["staff", "backout-release"] },
  una: { email: "una.sso@example.test", email_verified: true, name: "Una Unmapped", groups: ["staff"] },
  eve: { email: "eve.sso@example.test", email_verified: false, name: "Eve Unverified", groups: ["backout-admins"] },
  remy: { email: USERS.responder.email, email_verified: true, name: "Remy at the IdP", groups: [] },
};

let idp: ReturnType<Provider["listen"]> | null = null;
let server: ChildProcess | null = null;
const logs: string[] = [];

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

test.beforeAll(async () => {
  const listening = await new Promise<{ port: number; srv: ReturnType<Provider["listen"]> }>((resolve) => {
    // The issuer needs its port before the provider exists: take a free one, then build on it.
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const port = (probe.address() as AddressInfo).port;
      probe.close(() => {
        const provider = new Provider(`http://127.0.0.1:${port}`, {
          clients: [
            {
              client_id: CLIENT.id,
              client_secret: CLIENT.secret,
              redirect_uris: [`${BASE}/api/auth/callback/oidc`],
              grant_types: ["authorization_code"],
              response_types: ["code"],
            },
          ],
          claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
          // The scope's claims in the ID token itself, as Keycloak and Google send them.
          conformIdTokenClaims: false,
          cookies: { keys: ["e2e-idp-cookie-key"] },
          async findAccount(_ctx, id) {
            const claims = ACCOUNTS[id];
            return claims ? { accountId: id, claims: async () => ({ sub: id, ...claims }) } : undefined;
          },
          // Consent is the provider's business, not Backout's: grant the scopes asked for.
          async loadExistingGrant(ctx) {
            const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client?.clientId, accountId: ctx.oidc.session?.accountId });
            grant.addOIDCScope("openid email profile");
            await grant.save();
            return grant;
          },
        });
        resolve({ port, srv: provider.listen(port) });
      });
    });
  });
  idp = listening.srv;
  if (await answers(`${BASE}/api/health`)) throw new Error(`something already answers on port ${PORT}`);
  server = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: "e2e-only-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      BACKOUT_OIDC_ISSUER: `http://127.0.0.1:${listening.port}`,
      BACKOUT_OIDC_CLIENT_ID: CLIENT.id,
      BACKOUT_OIDC_CLIENT_SECRET: CLIENT.secret,
      BACKOUT_OIDC_NAME: "Test IdP",
      BACKOUT_OIDC_ROLE_CLAIM: "groups",
      BACKOUT_OIDC_ROLE_MAP: "backout-admins=ADMIN,backout-release=RELEASE_MANAGER,backout-oncall=RESPONDER",
      BACKOUT_OIDC_DEFAULT_ROLE: "VIEWER",
      BACKOUT_PASSWORD_SIGN_IN: "off",
    },
  });
  const collect = (d: Buffer) => logs.push(String(d).trimEnd());
  server.stdout?.on("data", collect);
  server.stderr?.on("data", collect);
  const deadline = Date.now() + 120_000;
  while (!(await answers(`${BASE}/api/health`))) {
    if (server.exitCode !== null) throw new Error(`next start exited:\n${logs.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`next start did not answer:\n${logs.join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(async () => {
  if (server?.pid) {
    const exited = new Promise((r) => (server?.exitCode !== null ? r(null) : server?.once("exit", r)));
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await exited;
  }
  await new Promise((r) => (idp ? idp.close(r) : r(null)));
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a hook's fixtures from this pattern
test.afterEach(({}, info) => {
  if (info.status !== info.expectedStatus) console.log(logs.slice(-40).join("\n"));
});

/** Signs in at the identity provider as `login`, from Backout's sign-in page; returns the page where it lands. */
async function signInWithSso(browser: Browser, login: string) {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  return { context, page };
}

type UserRow = { id: string; role: string; name: string; passwordHash: string | null };
const userByEmail = async (email: string) =>
  (await sql<UserRow>(`SELECT id, role::text, name, "passwordHash" FROM "User" WHERE email = $1`, [email]))[0];
const openSessions = async (userId: string) =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM "UserSession" WHERE "userId" = $1 AND "endedAt" IS NULL`, [userId]))[0].n);

test("sign-in through the OIDC provider lands a user with the mapped role, in a session row", async ({ browser }) => {
  const { context, page } = await signInWithSso(browser, "rita");
  await expect(page).toHaveURL(/\/incidents$/);
  await expect(page.getByTestId("current-role")).toHaveText("Release manager");
  const rita = await userByEmail("rita.sso@example.test");
  expect(rita).toMatchObject({ role: "RELEASE_MANAGER", name: "Rita Single-Sign-On", passwordHash: null });
  expect(await openSessions(rita.id)).toBe(1);
  const [audit] = await sql<{ details: Record<string, unknown> }>(
    `SELECT details FROM "AuditLog" WHERE action = 'auth.sign_in' AND outcome = 'ALLOWED' AND "actorId" = $1`,
    [rita.id],
  );
  expect(audit.details).toMatchObject({ method: "oidc", roleFrom: "mapping", role: "RELEASE_MANAGER", created: true });
  // The session is the database's: signing out ends the row, and the old cookie no longer opens a page.
  const cookies = await context.cookies();
  await page
    .getByRole("button", { name: /sign out/i })
    .first()
    .click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect(await openSessions(rita.id)).toBe(0);
  const replay = await browser.newContext({ baseURL: BASE });
  await replay.addCookies(cookies);
  const again = await replay.newPage();
  await again.goto("/incidents");
  await expect(again).toHaveURL(/\/sign-in/);
  await replay.close();
  await context.close();
});

test("an unmapped user gets the default role; an existing account is matched by its verified email", async ({ browser }) => {
  const una = await signInWithSso(browser, "una");
  await expect(una.page).toHaveURL(/\/incidents$/);
  await expect(una.page.getByTestId("current-role")).toHaveText("Stakeholder");
  expect((await userByEmail("una.sso@example.test"))?.role).toBe("VIEWER");
  await una.context.close();

  const before = await userByEmail(USERS.responder.email);
  const remy = await signInWithSso(browser, "remy");
  await expect(remy.page).toHaveURL(/\/incidents$/);
  // The same account (not a new one), and no mapped group: the role an admin gave it stays.
  await expect(remy.page.getByTestId("current-role")).toHaveText("Responder");
  const after = await userByEmail(USERS.responder.email);
  expect(after).toMatchObject({ id: before.id, role: "RESPONDER", name: before.name });
  await remy.context.close();
});

test("an unverified email is refused with a clear message, and no account is made", async ({ browser }) => {
  const { context, page } = await signInWithSso(browser, "eve");
  await expect(page).toHaveURL(/\/sign-in\?error=unverified-email/);
  await expect(page.getByRole("alert").filter({ hasText: "has not verified your email address" })).toBeVisible();
  expect(await userByEmail("eve.sso@example.test")).toBeUndefined();
  const [denied] = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditLog" WHERE action = 'auth.sign_in' AND outcome = 'DENIED' AND details->>'reason' = 'unverified-email' AND details->>'email' = 'eve.sso@example.test'`,
  );
  expect(Number(denied.n)).toBeGreaterThan(0);
  await context.close();
});

test("with local passwords switched off the password form is gone, and the credentials endpoint refuses", async ({ browser, request }) => {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in with Test IdP" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Sign in" })).toHaveCount(0);
  await context.close();

  // From outside the UI: the right password for a demo account still opens nothing.
  const csrf = (await (await request.get(`${BASE}/api/auth/csrf`)).json()).csrfToken as string;
  const deniedBefore = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditLog" WHERE action = 'auth.sign_in' AND details->>'reason' = 'password sign-in off'`,
  );
  const res = await request.post(`${BASE}/api/auth/callback/credentials`, {
    form: { csrfToken: csrf, email: USERS.admin.email, password: "backout-demo", callbackUrl: `${BASE}/incidents` },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  expect(res.headers().location).toMatch(/error=CredentialsSignin/);
  expect(res.headers()["set-cookie"] ?? "").not.toMatch(/authjs\.session-token=[^;]/);
  const deniedAfter = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditLog" WHERE action = 'auth.sign_in' AND details->>'reason' = 'password sign-in off'`,
  );
  expect(Number(deniedAfter[0].n)).toBe(Number(deniedBefore[0].n) + 1);
});
