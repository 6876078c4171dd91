// The REST API through the real server and proxy: an admin makes a token in the admin page (shown
// once), a script uses it with no session and from any origin, the proxy keeps the 1 MB limit, the
// reference page renders the served document, and revoking in the page refuses the very next call.
import { expect, test } from "@playwright/test";
import { signIn, sql, USERS } from "./support";

test.setTimeout(120_000);

test("an admin's token drives the API without a session; revoking it refuses the next request", async ({ page, request }) => {
  await signIn(page, USERS.admin.email);
  await page.goto("/admin/api-tokens");
  const form = page.getByRole("form", { name: "Create API token" });
  await form.getByLabel("Name").fill("e2e deploy pipeline");
  await form.getByLabel("Person", { exact: true }).selectOption({ label: `${USERS.responder.name} (Responder, ${USERS.responder.email})` });
  await form.getByLabel("Scope").selectOption("WRITE");
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-api-token");
  await expect(shown).toHaveText(/^bo_api_/);
  const token = (await shown.textContent())?.trim() ?? "";
  // Shown once: after a reload only its prefix is on the page.
  await page.reload();
  await expect(page.getByTestId("new-api-token")).toHaveCount(0);
  const row = page.getByTestId("api-token-e2e deploy pipeline");
  await expect(row).toContainText(token.slice(0, 13));
  await expect(page.locator("body")).not.toContainText(token);

  const auth = { authorization: `Bearer ${token}` };
  const [incident] = await sql<{ number: number; id: string }>(`SELECT number, id FROM "Incident" ORDER BY number LIMIT 1`);
  const list = await request.get("/api/v1/incidents?limit=1", { headers: auth });
  expect(list.status()).toBe(200);
  expect((await list.json()).items).toHaveLength(1);

  // No cookie, another site's Origin: a bearer token is not something a browser sends by itself.
  const note = await request.post(`/api/v1/incidents/${incident.number}/timeline`, {
    headers: { ...auth, origin: "https://evil.example", "content-type": "application/json" },
    data: { text: "e2e: paused the deploy pipeline" },
  });
  expect(note.status(), await note.text()).toBe(201);
  const [entry] = await sql<{ source: string; actorId: string }>(`SELECT source::text, "actorId" FROM "TimelineEvent" WHERE id = $1`, [
    (await note.json()).id,
  ]);
  const [remy] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [USERS.responder.email]);
  expect(entry).toEqual({ source: "API", actorId: remy.id });

  // The proxy keeps the 1 MB limit for the API.
  const big = await request.post(`/api/v1/incidents/${incident.number}/timeline`, {
    headers: { ...auth, "content-type": "application/json" },
    data: JSON.stringify({ text: "x".repeat(1024 * 1024 + 10) }),
  });
  expect(big.status()).toBe(413);
  expect(big.headers()["content-type"]).toBe("application/problem+json");

  // The served document and its rendered reference.
  const doc = await request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
  await page.goto("/api-reference");
  await expect(page.getByRole("heading", { name: "Backout API" })).toBeVisible();
  await expect(page.locator("#op-addTimelineNote")).toContainText("/api/v1/incidents/{number}/timeline");
  await expect(page.locator("#op-receiveAlertmanagerWebhook")).toContainText("/api/v1/integrations/alertmanager");
  await expect(page.locator("#op-receiveAlertmanagerWebhook")).toContainText("Needs an Alertmanager integration's token (bo_am_…)");

  await page.goto("/admin/api-tokens");
  await row.getByRole("button", { name: "Revoke e2e deploy pipeline" }).click();
  await expect(row).toContainText("revoked");
  const after = await request.get("/api/v1/incidents?limit=1", { headers: auth });
  expect(after.status()).toBe(401);
  expect((await after.json()).detail).toMatch(/revoked/);
});
