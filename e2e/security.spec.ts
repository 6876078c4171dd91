// The security headers on every route, and the Content-Security-Policy from the browser's side:
// every page, as each role, loads with no violation reported (the policy refuses inline scripts, so
// a page the policy broke shows up here). Routes are found in app/ on disk, so a route added later
// is covered or, if this spec cannot fill in its URL, fails it. Then server actions refused in
// words: one sent from another site (403) and one over the body limit (413).
import { readdirSync } from "node:fs";
import path from "node:path";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { captureDeclareAction, seed, signIn, sql, USERS } from "./support";

const APP = path.resolve(import.meta.dirname, "../app");

/** Every route file under app/: its URL pattern (route groups dropped) and whether it is a page. */
function routes(dir = APP, prefix = ""): { pattern: string; isPage: boolean }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      return routes(path.join(dir, entry.name), prefix + segment);
    }
    if (entry.name === "page.tsx") return [{ pattern: prefix || "/", isPage: true }];
    if (entry.name === "route.ts") return [{ pattern: prefix, isPage: false }];
    return [];
  });
}

type Data = { number: number; slug: string; runbookId: string; documentId: string };

/** A route's URL with its dynamic segments filled from seeded data; a segment nobody knows fails the spec. */
function urlOf(pattern: string, data: Data): string {
  // Comparing needs two versions; the seeded summary has one, compared with itself.
  const query = pattern.endsWith("/compare") ? "?from=1&to=1" : "";
  return `${pattern.replace(/\[([^\]]+)\]/g, (_m, name: string) => {
    if (name === "number") return String(data.number);
    if (name === "slug") return data.slug;
    if (name === "id" && pattern.includes("/runbooks/")) return data.runbookId;
    if (name === "id" && pattern.startsWith("/api/documents/")) return data.documentId;
    if (name === "documentId") return data.documentId;
    if (name === "...nextauth") return "session";
    // The REST API's router: one of its reads (unauthenticated here: a problem+json 401).
    if (name === "...path") return "incidents";
    // A share link that does not exist: the page says so, with the share page's headers.
    if (name === "token") return "not-a-share-link";
    throw new Error(`e2e/security.spec.ts does not know what to put in [${name}] of ${pattern}: teach urlOf`);
  })}${query}`;
}

/** Typed by the proposer; must reach the downloaded Markdown as text. */
const HOSTILE_REASON = "<script>alert(1)</script> [x](javascript:alert(1))";

let data: Data;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  const steps = [{ key: "switch", name: "Switch traffic", executor: "WAIT", config: { seconds: 1 } }];
  const made = seed("rolledBack", {
    title: `Security e2e ${Date.now()}`,
    reason: HOSTILE_REASON,
    service: { name: "secure", runbook: { strategy: "CUSTOM", steps } },
  });
  // The rollback summary is written by a job once the run has ended.
  let documentId: string | undefined;
  for (let i = 0; i < 100 && !documentId; i++) {
    documentId = (await sql<{ id: string }>(`SELECT id FROM "Document" WHERE "runId" = $1`, [made.run.id]))[0]?.id;
    if (!documentId) await new Promise((r) => setTimeout(r, 300));
  }
  if (!documentId || !made.runbookId) throw new Error("the seeded rollback has no summary document or no runbook");
  data = { number: made.incident.number, slug: made.service.slug, runbookId: made.runbookId, documentId };
});

const ALL = routes();
const PAGES = ALL.filter((r) => r.isPage);

/** Asks for a URL and returns the response headers without waiting for the body (the event stream never ends). */
async function headersOf(url: string, context?: BrowserContext, extra: Record<string, string> = {}) {
  const cookies = context ? (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") : "";
  const controller = new AbortController();
  const res = await fetch(new URL(url, test.info().project.use.baseURL), {
    headers: { ...(cookies ? { cookie: cookies } : {}), ...extra },
    redirect: "manual",
    signal: controller.signal,
  });
  controller.abort();
  return { status: res.status, headers: res.headers };
}

function expectSecurityHeaders(what: string, headers: Headers, page: boolean, https = false) {
  const csp = headers.get("content-security-policy") ?? "";
  expect(csp, `${what}: Content-Security-Policy`).toContain("frame-ancestors 'none'");
  if (page) {
    const scripts = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scripts, `${what}: scripts by nonce`).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scripts, `${what}: no inline scripts`).not.toContain("unsafe-inline");
    expect(scripts, `${what}: no eval`).not.toContain("unsafe-eval");
  } else {
    expect(csp, `${what}: an API answer allows nothing`).toContain("default-src 'none'");
  }
  expect(headers.get("x-content-type-options"), `${what}: nosniff`).toBe("nosniff");
  // A share page's address is its secret: it sends no Referer at all (and is not indexed).
  const shared = what.startsWith("/share/");
  expect(headers.get("referrer-policy"), `${what}: Referrer-Policy`).toBe(shared ? "no-referrer" : "strict-origin-when-cross-origin");
  if (shared) expect(headers.get("x-robots-tag"), `${what}: not indexed`).toContain("noindex");
  expect(headers.get("x-frame-options"), `${what}: X-Frame-Options`).toBe("DENY");
  if (https) expect(headers.get("strict-transport-security"), `${what}: HSTS over HTTPS`).toBe("max-age=31536000");
  else expect(headers.get("strict-transport-security"), `${what}: no HSTS over plain HTTP`).toBeNull();
}

test("every page and API route carries the security headers, signed in or not, over HTTP and behind an HTTPS proxy", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  // The discovery found the app's routes (pages, and API routes besides).
  expect(PAGES.length).toBeGreaterThanOrEqual(10);
  expect(ALL.length - PAGES.length).toBeGreaterThanOrEqual(5);
  await signIn(page, USERS.admin.email);
  for (const route of ALL) {
    const url = urlOf(route.pattern, data);
    const signedIn = await headersOf(url, context);
    expect(signedIn.status, url).toBeLessThan(500);
    expectSecurityHeaders(`${url} (admin)`, signedIn.headers, route.isPage);
    // Signed out: the redirect to sign-in, the 401 and the open routes carry them too.
    expectSecurityHeaders(`${url} (signed out)`, (await headersOf(url)).headers, route.isPage);
    expectSecurityHeaders(`${url} (https)`, (await headersOf(url, context, { "x-forwarded-proto": "https" })).headers, route.isPage, true);
  }
  // A static file is not a route but still is not sniffed.
  expect((await headersOf("/favicon.ico")).status).toBeLessThan(500);

  // A fresh nonce per request, and it is the one on the page's scripts.
  const first = await page.goto("/incidents");
  const second = await headersOf("/incidents", context);
  const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  const nonce = nonceOf((await first?.allHeaders())?.["content-security-policy"] ?? null);
  expect(nonce).toBeTruthy();
  expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonce);
  // Every script the server wrote carries it. (Chunks the nonce'd runtime adds later, e.g. for a
  // prefetched link, are trusted through 'strict-dynamic' and carry none; the CSP test below checks
  // that nothing is refused on any page.)
  const html = (await first?.text()) ?? "";
  const scriptNonces = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => /\snonce="([^"]*)"/.exec(m[0])?.[1] ?? "");
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
});

test("the downloaded Markdown keeps a decision reason's raw HTML and javascript: link as text", async ({ page, context }) => {
  await signIn(page, USERS.viewer.email);
  const res = await context.request.get(`/api/documents/${data.documentId}/markdown`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename=/);
  const markdown = await res.text();
  expect(markdown).toContain("Decision: \\<script>alert(1)\\</script> \\[x]\\(javascript:alert(1))");
  // Nothing unescaped: no tag a renderer would pass through, no link to a javascript: target.
  expect(markdown).not.toMatch(/(^|[^\\])<script/);
  expect(markdown).not.toMatch(/(^|[^\\])\]\(javascript:/);
});

/** Collects CSP violations, uncaught errors and console errors of a page while it is used. */
async function watch(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeBinding("__reportViolation", (_source, text: string) => {
    problems.push(`securitypolicyviolation ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportViolation(t: string): void }).__reportViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on("pageerror", (e) => problems.push(`pageerror ${e.message}`));
  page.on("console", (m) => {
    if (/content security policy|refused to (execute|load|apply|evaluate|connect|frame)/i.test(m.text()))
      problems.push(`console ${m.text()}`);
  });
  return problems;
}

for (const [role, user] of Object.entries(USERS)) {
  test(`every page works under the Content-Security-Policy as ${user.role}: no violation, no page error`, async ({ page }) => {
    test.setTimeout(180_000);
    const problems = await watch(page);
    await page.goto("/sign-in");
    await page.waitForLoadState("load");
    await signIn(page, user.email);
    for (const route of PAGES) {
      const url = urlOf(route.pattern, data);
      const before = problems.length;
      const response = await page.goto(url);
      expect(response?.status() ?? 0, `${role} ${url}`).toBeLessThan(500);
      await page.waitForLoadState("load");
      // Hydrated: client components answer (charts draw, forms react) only if their scripts ran.
      await page.waitForTimeout(800);
      expect(problems.slice(before), `${role} ${url}`).toEqual([]);
    }
    // An address that does not exist: the not-found page is rendered with the nonce too.
    expect((await page.goto("/no-such-page"))?.status()).toBe(404);
    await page.waitForTimeout(800);
    expect(problems).toEqual([]);
    // The client really ran under the policy: a client-side navigation happens without a reload.
    await page.goto("/incidents");
    await page.evaluate(() => {
      (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Services" }).click();
    await expect(page).toHaveURL(/\/services$/);
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    expect(problems).toEqual([]);
    // And the watch does see a violation when there is one: an image from another site.
    await page.evaluate(() => {
      const img = document.createElement("img");
      img.src = "http://evil.example/pixel.png";
      document.body.append(img);
    });
    await expect.poll(() => problems.some((p) => p.startsWith("securitypolicyviolation img-src"))).toBe(true);
  });
}

test("a server action from another site is refused with 403 in words, one over 1 MB with 413, and neither changes anything", async ({
  page,
  context,
}) => {
  await signIn(page, USERS.responder.email);
  const request = await captureDeclareAction(page, `Captured ${Date.now()}`);
  const headers = request.headers();
  const replay = (title: string, extra: Record<string, string>) =>
    context.request.post(request.url(), {
      headers: {
        "next-action": headers["next-action"],
        "content-type": headers["content-type"],
        accept: "text/x-component",
        "next-router-state-tree": headers["next-router-state-tree"] ?? "",
        ...extra,
      },
      data: (request.postData() ?? "").replace(/Captured \d+/, title),
      maxRedirects: 0,
    });

  const forged = `Cross-site ${Date.now()}`;
  const crossSite = await replay(forged, { origin: "http://evil.example" });
  expect(crossSite.status()).toBe(403);
  expect(crossSite.headers()["content-type"]).toBe("text/plain");
  expect(await crossSite.text()).toBe("Refused: this form was sent from another site. Open Backout itself and try again.");
  expectSecurityHeaders("cross-site action", new Headers(crossSite.headers()), true);

  const large = `Large ${Date.now()} ${"x".repeat(1024 * 1024)}`;
  const tooLarge = await replay(large, {});
  expect(tooLarge.status()).toBe(413);
  expect(await tooLarge.text()).toBe("Too much to send at once: a form may carry at most 1 MB. Shorten the text and try again.");

  // The same request from the app's own origin still works: the refusals were the origin and the size.
  const own = `Same site ${Date.now()}`;
  const sameSite = await replay(own, { origin: new URL(request.url()).origin });
  expect(sameSite.status()).toBe(200);
  await expect.poll(async () => (await sql('SELECT 1 FROM "Incident" WHERE title = $1', [own])).length).toBe(1);
  expect(await sql('SELECT 1 FROM "Incident" WHERE title = $1 OR title LIKE $2', [forged, "Large %"])).toHaveLength(0);
});
