// Every page, as each role: follow the links a person of that role is shown, from the incident list
// outwards, and fail on any console error, uncaught page error or failed request (a missing favicon
// included). One page per route shape (/incidents/7 and /incidents/8 are one shape), so the crawl
// stays short however much data the demo has.
import { expect, type Page, test } from "@playwright/test";
import { seed, signIn, USERS } from "./support";

const MAX_PAGES = 40;

type Problem = { page: string; what: string };

/** /incidents/12/documents/cm4x…?v=2 → /incidents/:n/documents/:id — one visit per shape. */
function shape(url: URL): string {
  return url.pathname
    .split("/")
    .map((part) => (/^\d+$/.test(part) ? ":n" : /^[a-z0-9]{20,}$/i.test(part) || /^bs_/.test(part) ? ":id" : part))
    .join("/");
}

function watch(page: Page, problems: Problem[]) {
  const where = () => new URL(page.url()).pathname;
  page.on("console", (m) => {
    if (m.type() === "error") problems.push({ page: where(), what: `console error: ${m.text()}` });
  });
  page.on("pageerror", (e) => problems.push({ page: where(), what: `page error: ${e.message}` }));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push({ page: where(), what: `${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}` });
  });
}

async function crawl(page: Page, start: string[]): Promise<{ visited: string[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  watch(page, problems);
  const origin = new URL(page.url()).origin;
  const queue = start.map((s) => new URL(s, origin));
  const seen = new Set<string>();
  const visited: string[] = [];
  while (queue.length > 0 && visited.length < MAX_PAGES) {
    const url = queue.shift() as URL;
    const key = shape(url);
    if (seen.has(key)) continue;
    seen.add(key);
    await page.goto(url.href);
    await page.waitForLoadState("load");
    // Time for hydration, the first evidence poll and the live stream to say anything they have to.
    await page.waitForTimeout(1200);
    visited.push(url.pathname + url.search);
    const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) {
      const next = new URL(href);
      next.hash = "";
      if (next.origin !== origin || next.pathname.startsWith("/api/")) continue;
      if (!seen.has(shape(next))) queue.push(next);
    }
  }
  return { visited, problems };
}

for (const who of ["admin", "rm", "responder", "viewer"] as const) {
  test(`every page a ${USERS[who].role} can reach shows no console error, page error or failed request`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await signIn(page, USERS[who].email);
    const { visited, problems } = await crawl(page, ["/incidents", "/action-items", "/services"]);
    testInfo.annotations.push({ type: "visited", description: visited.join(" ") });
    expect(visited.length, `pages visited: ${visited.join(", ")}`).toBeGreaterThanOrEqual(who === "viewer" ? 5 : 8);
    expect(visited).toContain("/incidents");
    expect(problems).toEqual([]);
  });
}

test("the pages for people without a session: sign-in, a share link, the favicon and app icons", async ({ page, request }) => {
  const shared = seed("shared", {});
  const problems: Problem[] = [];
  watch(page, problems);
  await page.goto("/sign-in");
  await page.waitForTimeout(800);
  await page.goto(`/share/${shared.link.token}`);
  await expect(page.getByRole("list", { name: "Incident timeline" })).toBeVisible();
  await page.waitForTimeout(800);
  expect(problems).toEqual([]);

  const icons = await page
    .locator('link[rel="icon"], link[rel="apple-touch-icon"]')
    .evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
  expect(icons.some((h) => new URL(h).pathname === "/favicon.ico")).toBe(true);
  expect(icons.length).toBeGreaterThanOrEqual(3);
  for (const href of [...icons, "/favicon.ico"]) {
    const response = await request.get(href, { maxRedirects: 0 });
    expect(response.status(), href).toBe(200);
    expect(response.headers()["content-type"], href).toMatch(/^image\//);
  }
});
