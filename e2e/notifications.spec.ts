// Outbound notifications through the real server: an admin adds destinations in the admin page, a
// responder declares an incident in the browser, the server's job runner delivers the signed JSON
// to a receiver this spec runs (which verifies it with the documented snippet), and the admin page
// shows the sent and the retrying deliveries without ever showing a URL or a secret.
import { writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { VERIFY_SNIPPET } from "../lib/notifications/verify-snippet";
import { seed, signIn, sql, USERS } from "./support";

test.setTimeout(120_000);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("a declared incident is delivered, signed, to the admin's destination; the page lists deliveries", async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const made = seed("service", { name: "e2e-notify" });
  const received: { headers: http.IncomingHttpHeaders; rawBody: string }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8") });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as net.AddressInfo).port;
  const deadPort = await freePort();

  try {
    await signIn(page, USERS.admin.email);
    await page.goto("/admin");
    await page.getByRole("link", { name: "Notifications" }).click();
    await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
    const form = page.getByRole("form", { name: "Add notification destination" });

    // Bad input first: a clear message on the field, nothing added.
    await form.getByLabel("Name").fill("e2e ftp");
    await form.getByLabel("Webhook URL").fill("ftp://files.example/x");
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(form.getByText("Only http:// and https:// URLs are accepted.")).toBeVisible();

    await form.getByLabel("Name").fill("e2e signed receiver");
    await form.getByLabel("Format").selectOption("SIGNED_JSON");
    await form.getByLabel("Webhook URL").fill(`http://127.0.0.1:${port}/hook?key=url-secret-key`);
    await form.getByLabel("Service").selectOption({ label: made.service.name });
    await form.getByLabel("Decision proposed (approval needed)").check();
    await form.getByRole("button", { name: "Add destination" }).click();
    const secret = ((await page.getByTestId("new-destination-secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^bo_whsec_/);

    await form.getByLabel("Name").fill("e2e chat (down)");
    await form.getByLabel("Format").selectOption("SLACK");
    await form.getByLabel("Webhook URL").fill(`http://127.0.0.1:${deadPort}/services/T1/B2/chat-secret`);
    await form.getByLabel("Service").selectOption({ label: made.service.name });
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(page.getByTestId("destination-e2e chat (down)")).toContainText(`127.0.0.1:${deadPort}`);

    // The responder declares, in a browser of their own.
    const responder = await (await browser.newContext({ baseURL })).newPage();
    await signIn(responder, USERS.responder.email);
    await responder.goto("/incidents/new");
    const declare = responder.getByRole("form", { name: "Declare incident" });
    await declare.getByLabel("Service").selectOption({ label: made.service.name });
    await declare.getByLabel("What is happening?").fill("Checkout errors (e2e notifications)");
    await declare.getByLabel("Bad version (deployed)").fill("v7.1.0");
    await declare.getByLabel("Previous version (roll back to)").fill("v7.0.0");
    await declare.getByLabel("Deployed at (UTC)").fill(new Date(Date.now() - 30 * 60_000).toISOString().slice(0, 16));
    await declare.getByLabel("Severity").selectOption("SEV2");
    await declare.getByRole("button", { name: "Declare incident" }).click();
    await expect(responder).toHaveURL(/\/incidents\/\d+$/);

    // The server's job runner delivers it; the receiver verifies it with the documented snippet.
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    const file = testInfo.outputPath("verify.cjs");
    writeFileSync(file, VERIFY_SNIPPET);
    const { verifyBackoutSignature } = createRequire(import.meta.url)(file);
    expect(verifyBackoutSignature(secret, received[0]?.headers, received[0]?.rawBody)).toBe(true);
    expect(JSON.parse(received[0]?.rawBody ?? "{}")).toMatchObject({
      event: "incident.declared",
      incident: { title: "Checkout errors (e2e notifications)", service: made.service.name },
    });

    await page.reload();
    await expect(page.getByText("sent", { exact: true }).first()).toBeVisible();
    await expect(page.getByText(/could not reach 127\.0\.0\.1/).first()).toBeVisible({ timeout: 20_000 });
    const html = await page.content();
    expect(html).not.toContain("url-secret-key");
    expect(html).not.toContain("chat-secret");
    expect(html).not.toContain(secret);
    await page.screenshot({ path: testInfo.outputPath("notifications-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: testInfo.outputPath("notifications-phone.png"), fullPage: true });
    await page.screenshot({ path: testInfo.outputPath("notifications-phone-first-screen.png") });

    // "Send again" queues the sent delivery once more: the receiver gets the same delivery id again.
    await page.getByRole("button", { name: "Send again: Incident declared to e2e signed receiver" }).click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
    expect(JSON.parse(received[1]?.rawBody ?? "{}").id).toBe(JSON.parse(received[0]?.rawBody ?? "{}").id);
    const [resent] = await sql<{ outcome: string }>(
      `SELECT outcome FROM "AuditLog" WHERE action = 'notification_delivery.resend' AND "entityId" = $1`,
      [JSON.parse(received[0]?.rawBody ?? "{}").id],
    );
    expect(resent?.outcome).toBe("ALLOWED");

    // Not an admin: the page says so and shows nothing of the destinations.
    await responder.goto("/admin/notifications");
    await expect(responder.getByText("Only admins configure notifications")).toBeVisible();
    expect(await responder.content()).not.toContain("e2e signed receiver");
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
