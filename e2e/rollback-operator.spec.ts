// The operator's side of a rollback, by clicks: "run until the next destructive step" (its
// confirmation lists exactly the steps), the destructive step kept behind its typed confirmation,
// a failing HTTP step showing the status and body it got, the run needing an operator, ending it
// as failed, and the rollback summary on the page, linked from the timeline, printable, as Markdown.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { seed, signIn, sql, USERS } from "./support";

test.setTimeout(180_000);

let router: http.Server;
let routerUrl = "";
const switchCalls: string[] = [];

test.beforeAll(async () => {
  // A stand-in traffic router that refuses the switch, as a draining pool would.
  router = http.createServer((req, res) => {
    switchCalls.push(`${req.method} ${req.url}`);
    res.writeHead(503, { "content-type": "text/plain" });
    res.end("blue pool is draining: retry in 5 minutes");
  });
  await new Promise<void>((r) => router.listen(0, "127.0.0.1", r));
  routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  router.closeAllConnections();
  await new Promise((r) => router.close(r));
});

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

const log = (text: string) => ({ argv: [process.execPath, "-e", `console.log(${JSON.stringify(text)})`] });

test("run until the next destructive step, a failing HTTP step, ending the run as failed, and its summary", async ({ browser }) => {
  const steps = [
    { key: "check", name: "Check the router", executor: "WAIT", config: { seconds: 1 } },
    { key: "pause", name: "Pause deploys", executor: "COMMAND", config: log("deploys paused") },
    { key: "drain", name: "Drain the v2 pool", executor: "COMMAND", destructive: true, config: log("v2 pool drained") },
    {
      key: "switch",
      name: "Switch traffic to v1",
      executor: "HTTP",
      changesTraffic: true,
      config: { method: "POST", url: `${routerUrl}/switch`, body: '{"to":"v1"}' },
    },
    { key: "notify", name: "Tell support", executor: "WAIT", config: { seconds: 1 } },
  ];
  const title = `Ledger rollback e2e ${randomUUID().slice(0, 6)}`;
  const made = seed("incident", {
    title,
    badVersion: "v2",
    previousVersion: "v1",
    service: { name: "ledger", runbook: { name: "Ledger rollback", strategy: "CUSTOM", steps } },
  });
  const number = made.incident.number;
  const service = made.service.name;

  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${number}`);
  const form = responder.getByRole("form", { name: "Propose rollback" });
  await form.getByLabel("Urgency").selectOption("FAST");
  await form.getByLabel("Strategy").selectOption("CUSTOM");
  await form.getByLabel("Reason").fill("v2 double-posts ledger entries; go back to v1");
  await form.getByRole("button", { name: "Propose rollback" }).click();
  await expect(responder.getByTestId("decision-status")).toHaveText("Awaiting approval");

  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${number}`);
  await rm.getByRole("button", { name: "Approve rollback" }).click();
  await rm
    .getByRole("dialog")
    .getByLabel(/Type .* to confirm/)
    .fill(service);
  await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(rm.getByTestId("decision-status")).toHaveText("Approved");

  await responder.reload();
  await responder.getByRole("button", { name: "Start rollback" }).click();
  // Step by step here (the default runs the steps until the first destructive one: e2e/fast-path.spec.ts).
  await responder.getByRole("dialog").getByRole("button", { name: "Start step by step" }).click();
  await expect(responder.getByTestId("run-status")).toHaveText("In progress");

  // The confirmation lists exactly steps 1 and 2, and says where it stops.
  await responder.getByRole("button", { name: "Run until the next destructive step…" }).click();
  const dialog = responder.getByRole("dialog");
  const listed = dialog.getByRole("list", { name: "Steps that will run" }).getByRole("listitem");
  await expect(listed).toHaveCount(2);
  await expect(listed.nth(0)).toContainText("1. Check the router");
  await expect(listed.nth(0)).toContainText("wait 1 s");
  await expect(listed.nth(1)).toContainText("2. Pause deploys");
  await expect(dialog).toContainText("It stops before step 3 “Drain the v2 pool”, which is destructive");
  await dialog.getByRole("button", { name: "Run 2 steps" }).click();
  await expect(responder.getByTestId("step-state-1")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(responder.getByTestId("step-state-2")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(responder.getByTestId("step-output-2")).toContainText("deploys paused");
  await expect(responder.getByTestId("auto-run")).toHaveCount(0, { timeout: 15_000 });
  await expect(responder.getByTestId("step-state-3")).toHaveText("Not started");
  // Step 3 is destructive: it is not offered to the run-until, it has its own typed confirmation.
  await expect(responder.getByRole("button", { name: /^Run until/ })).toHaveCount(0);
  await responder.getByRole("button", { name: "Run: Drain the v2 pool" }).click();
  await responder.getByRole("dialog").getByLabel(`Type ${service} to confirm`).fill(service);
  await responder.getByRole("dialog").getByRole("button", { name: "Run step" }).click();
  await expect(responder.getByTestId("step-state-3")).toHaveText("Succeeded", { timeout: 30_000 });

  // The rest of the plan: the switch fails with the router's answer, and nothing after it runs.
  await responder.getByRole("button", { name: "Run the remaining steps…" }).click();
  await expect(responder.getByRole("dialog")).toContainText("That is the rest of the plan.");
  await responder.getByRole("dialog").getByRole("button", { name: "Run 2 steps" }).click();
  await expect(responder.getByTestId("step-state-4")).toHaveText("Failed", { timeout: 30_000 });
  await expect(responder.getByTestId("step-http-4")).toContainText("HTTP 503");
  await expect(responder.getByTestId("step-http-4")).toContainText("blue pool is draining: retry in 5 minutes");
  await expect(responder.getByTestId("run-attention")).toContainText("Needs an operator: step 4 “Switch traffic to v1” failed.");
  await expect(responder.getByTestId("run-attention")).toContainText("Last result: answered 503, expected 200");
  await expect(responder.getByTestId("run-status")).toHaveText("Needs an operator");
  await expect(responder.getByTestId("step-state-5")).toHaveText("Not started");
  expect(switchCalls).toEqual(["POST /switch"]);

  // A viewer sees the same state, and no button.
  const viewer = await as(browser, USERS.viewer.email);
  await viewer.goto(`/incidents/${number}`);
  await expect(viewer.getByTestId("run-attention")).toContainText("Needs an operator");
  await expect(viewer.getByTestId("step-http-4")).toContainText("HTTP 503");
  await expect(viewer.getByRole("button", { name: /End rollback|Retry|Run/ })).toHaveCount(0);

  // Ending it: FAILED (not aborted), because it was waiting on a failed step.
  await responder.getByRole("button", { name: "End rollback as failed…" }).click();
  await responder.getByLabel("Why end it?").fill("the router refuses; switching by hand with the network team");
  await responder.getByRole("button", { name: "End rollback as failed" }).click();
  await expect(responder.getByTestId("run-status")).toHaveText("Failed");
  await expect(responder.getByTestId("run-attention")).toContainText("Ended as failed by Remy Responder");
  await expect(responder.getByTestId("step-state-5")).toHaveText("Canceled");

  // The summary, on the page and linked from the timeline.
  const summary = responder.getByTestId("rollback-summary");
  await expect(summary).toBeVisible({ timeout: 15_000 });
  await expect(summary.getByTestId("summary-status")).toHaveText("Failed");
  await expect(summary).toContainText("v2 → v1");
  await expect(summary).toContainText("Custom runbook (FAST)");
  await expect(summary).toContainText('Find out why step 4 "Switch traffic to v1" failed (answered 503, expected 200)');
  await expect(summary).toContainText('step 3 "Drain the v2 pool"');
  await expect(summary.getByTestId("summary-stability")).toHaveText('no metric data after "Drain the v2 pool"');
  // The timeline links to the summary on the page. Checked by its target rather than by the URL
  // after a click: a live refresh landing just after the click can replace the URL's fragment.
  const summaryId = await summary.locator("article[id^='summary-']").getAttribute("id");
  await expect(responder.getByRole("link", { name: "Read the rollback summary" })).toHaveAttribute("href", `#${summaryId}`);
  await responder.getByRole("link", { name: "Read the rollback summary" }).click();
  await expect(responder.locator(`[id="${summaryId}"]`)).toBeInViewport();

  const href = await summary.getByRole("link", { name: "Printable version" }).getAttribute("href");
  await responder.goto(href!);
  await expect(responder.getByRole("heading", { name: /Rollback summary: v2 → v1 \(failed\)/ })).toBeVisible();
  await expect(responder.getByRole("button", { name: "Print" })).toBeVisible();
  const mdHref = await responder.getByRole("link", { name: "Download Markdown" }).getAttribute("href");
  const markdown = await responder.request.get(mdHref!);
  expect(markdown.headers()["content-type"]).toContain("text/markdown");
  const text = await markdown.text();
  expect(text).toContain(`# Rollback summary — INC-${number}: ${title}`);
  expect(text).toContain("| Status | Failed |");
  // The incident's documents list it with its one version.
  await responder.getByRole("link", { name: "All documents" }).click();
  await expect(responder.getByRole("heading", { name: "Documents", level: 1 })).toBeVisible();
  await expect(responder.getByRole("link", { name: /Rollback summary: v2 → v1 \(failed\)/ })).toBeVisible();
  await expect(responder.getByRole("link", { name: "Read version 1" })).toBeVisible();

  const audit = await sql<{ action: string; n: number }>(
    `SELECT action, count(*)::int AS n FROM "AuditLog" WHERE "incidentId" = (SELECT id FROM "Incident" WHERE title = $1)
     AND outcome = 'ALLOWED' AND action LIKE 'rollback.%' GROUP BY action ORDER BY action`,
    [title],
  );
  expect(Object.fromEntries(audit.map((a) => [a.action, a.n]))).toMatchObject({
    "rollback.run_until_destructive": 2,
    // Steps 1–4; step 5 never ran (the run-until stopped at the failure).
    "rollback.step_request": 4,
    "rollback.run_abort": 1,
  });
});
