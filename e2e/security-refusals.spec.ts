// Refused attempts, from the attacker's side (issue 16, finding 7): the real server-action request a
// browser sends is captured, then replayed or edited and sent again with a session's cookie, as
// anyone with the browser's devtools could. Each attempt must be refused, leave exactly one new
// DENIED audit row, and change nothing, which the database (not the page) is asked about.
import { type Browser, type BrowserContext, expect, type Page, type Request, test } from "@playwright/test";
import { acknowledgeIfAsked, seed, signIn, sql, USERS } from "./support";

// Signed-in browsers, a rollback run to its end by the worker, and several replays per test.
test.setTimeout(180_000);

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

type Captured = { url: string; headers: Record<string, string>; body: string };

const captured = (request: Request): Captured => ({ url: request.url(), headers: request.headers(), body: request.postData() ?? "" });

/** The server-action request `send` makes from `page`, held back: it never reaches the server. */
async function holdAction(page: Page, send: () => Promise<void>): Promise<Captured> {
  let held: Captured | null = null;
  await page.route("**/incidents/*", async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"] && !held) {
      held = captured(request);
      await route.abort();
    } else await route.continue();
  });
  await send();
  await expect.poll(() => held).not.toBeNull();
  await page.unroute("**/incidents/*");
  return held as unknown as Captured;
}

/** The action's input as the browser serialized it: the JSON array of its arguments, the input first. */
function inputOf(c: Captured): Record<string, unknown> {
  const args = JSON.parse(c.body) as unknown;
  expect(Array.isArray(args), `a server action body is the JSON array of its arguments, got ${c.body}`).toBe(true);
  return (args as Record<string, unknown>[])[0];
}

/** The captured request sent again with `page`'s session, its input changed by `patch`; the response text. */
async function replay(page: Page, c: Captured, patch: Record<string, unknown> = {}): Promise<string> {
  const body = JSON.stringify([{ ...inputOf(c), ...patch }]);
  const response = await page.context().request.post(c.url, {
    headers: { "next-action": c.headers["next-action"], "content-type": c.headers["content-type"], accept: "text/x-component" },
    data: body,
  });
  expect(response.status(), "a refusal is an answer, not a crash").toBeLessThan(500);
  return response.text();
}

type Denial = { code: string; reason: string; actorEmail: string };

/** The DENIED audit rows of one change on one record, oldest first. */
function denials(action: string, entityId: string): Promise<Denial[]> {
  return sql<Denial>(
    `SELECT details->>'code' AS code, details->>'reason' AS reason, "actorEmail" FROM "AuditLog"
      WHERE action = $1 AND "entityId" = $2 AND outcome = 'DENIED' ORDER BY id`,
    [action, entityId],
  );
}

/** Runs `attempt` and returns the one DENIED row it added (it fails if it added none or more than one). */
async function deniedOnce(action: string, entityId: string, attempt: () => Promise<void>): Promise<Denial> {
  const before = (await denials(action, entityId)).length;
  await attempt();
  const after = await denials(action, entityId);
  expect(after, `one new DENIED ${action} row on ${entityId}`).toHaveLength(before + 1);
  return after[before];
}

test("a second sign-off by the same person, replayed or as another role, is refused and audited", async ({ browser }) => {
  const steps = [{ key: "switch", name: "Switch traffic", executor: "WAIT", config: { seconds: 1 } }];
  const made = seed("rolledBack", {
    title: `Sign-off replay e2e ${Date.now()}`,
    service: { name: "checkout", runbook: { strategy: "CUSTOM", steps } },
  });
  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${made.incident.number}`);
  await responder.getByRole("button", { name: "Start verification" }).click();
  await expect(responder.getByTestId("checklist")).toBeVisible();

  // The responder signs off as DevOps engineer through the form; the request is recorded on its way.
  await responder.getByRole("button", { name: "Sign off as DevOps engineer" }).click();
  const form = responder.getByRole("form", { name: "Sign off as DevOps engineer" });
  await form.getByRole("group", { name: "Rollback successful?" }).getByLabel("Yes").check();
  await form.getByRole("group", { name: "System stable?" }).getByLabel("Yes").check();
  const sent = responder.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await form.getByRole("button", { name: "Sign off as DevOps engineer" }).click();
  const signOff = captured(await sent);
  await expect(responder.getByTestId("signoff-DEVOPS")).toContainText(USERS.responder.name);
  // The form offers no second sign-off to someone who gave one; the server is what must hold.
  await expect(responder.getByRole("button", { name: /^Sign off as / })).toHaveCount(0);

  const [checklist] = await sql<{ id: string }>(
    `SELECT c.id FROM "Checklist" c JOIN "Incident" i ON i.id = c."incidentId" WHERE i.number = $1`,
    [made.incident.number],
  );
  expect(inputOf(signOff)).toMatchObject({ checklistId: checklist.id, role: "DEVOPS" });
  const signOffs = () => sql(`SELECT role, "userId" FROM "SignOff" WHERE "checklistId" = $1 AND "withdrawnAt" IS NULL`, [checklist.id]);
  expect(await signOffs()).toHaveLength(1);

  // The same request again.
  let text = "";
  const replayed = await deniedOnce("checklist.sign_off", checklist.id, async () => {
    text = await replay(responder, signOff);
  });
  expect(text).toContain("already signed off as DevOps engineer");
  expect(replayed).toMatchObject({ code: "conflict", actorEmail: USERS.responder.email });
  expect(await signOffs()).toHaveLength(1);

  // The technical lead's sign-off, which a responder may give, but not as a second one of their own.
  const asTechLead = await deniedOnce("checklist.sign_off", checklist.id, async () => {
    text = await replay(responder, signOff, { role: "TECH_LEAD" });
  });
  expect(text).toContain("each of the three sign-offs comes from a different person");
  expect(asTechLead).toMatchObject({ code: "conflict", actorEmail: USERS.responder.email });
  const after = await signOffs();
  expect(after).toHaveLength(1);
  expect(after[0].role).toBe("DEVOPS");
  const [timeline] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM "TimelineEvent" e JOIN "Incident" i ON i.id = e."incidentId" WHERE i.number = $1 AND e.kind = 'SIGNED_OFF'`,
    [made.incident.number],
  );
  expect(timeline.n).toBe(1);
});

test("a rollback run started on an unapproved plan, or on a plan hash that is not the current one, is refused and audited", async ({
  browser,
}) => {
  const runbook = (name: string) => ({
    strategy: "CUSTOM" as const,
    steps: [{ key: "wait", name, executor: "WAIT", config: { seconds: 1 } }],
  });
  const approved = seed("approved", {
    title: `Start replay approved e2e ${Date.now()}`,
    service: { name: "api", runbook: runbook("Drain api") },
  });
  const proposed = seed("proposed", {
    title: `Start replay proposed e2e ${Date.now()}`,
    service: { name: "web", runbook: runbook("Drain web") },
  });
  const runs = (decisionId: string) => sql<{ id: string }>(`SELECT id FROM "RollbackRun" WHERE "decisionId" = $1`, [decisionId]);
  const statusOf = async (decisionId: string) =>
    (await sql<{ status: string }>(`SELECT status::text FROM "Decision" WHERE id = $1`, [decisionId]))[0].status;

  // The responder's "Start rollback" on the approved decision, held back.
  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${approved.incident.number}`);
  const start = await holdAction(responder, async () => {
    await responder.getByRole("button", { name: "Start rollback" }).click();
    await responder.getByRole("dialog").getByRole("button", { name: "Start step by step" }).click();
  });
  expect(inputOf(start)).toEqual({ decisionId: approved.decision.id, planHash: approved.decision.planHash });
  expect(await runs(approved.decision.id)).toHaveLength(0);

  // Aimed at a decision that is only proposed, with that decision's own current plan hash.
  expect(await statusOf(proposed.decision.id)).toBe("PROPOSED");
  let text = "";
  const unapproved = await deniedOnce("rollback.run_start", proposed.decision.id, async () => {
    text = await replay(responder, start, { decisionId: proposed.decision.id, planHash: proposed.decision.planHash });
  });
  expect(text).toContain("is not approved as it stands");
  expect(unapproved).toMatchObject({ code: "conflict", actorEmail: USERS.responder.email });
  expect(await runs(proposed.decision.id)).toHaveLength(0);
  expect(await statusOf(proposed.decision.id)).toBe("PROPOSED");

  // The approved decision, with a plan hash that is not its current one.
  const otherHash = approved.decision.planHash.replace(/^./, (c) => (c === "0" ? "1" : "0"));
  const stale = await deniedOnce("rollback.run_start", approved.decision.id, async () => {
    text = await replay(responder, start, { planHash: otherHash });
  });
  expect(text).toContain("The rollback plan changed since this page was shown");
  expect(stale).toMatchObject({ code: "stale", actorEmail: USERS.responder.email });
  expect(await runs(approved.decision.id)).toHaveLength(0);

  // The request as it was captured does start the run: the refusals above were the edits', not the replay's.
  const before = (await denials("rollback.run_start", approved.decision.id)).length;
  await replay(responder, start);
  expect(await runs(approved.decision.id)).toHaveLength(1);
  expect(await denials("rollback.run_start", approved.decision.id)).toHaveLength(before);
  expect(await runs(proposed.decision.id)).toHaveLength(0);
});

test("an approval captured before the plan changed is refused when replayed, and audited", async ({ browser }) => {
  const made = seed("proposed", { title: `Stale approval e2e ${Date.now()}`, service: { name: "checkout", runbook: "demo" } });
  const { id: decisionId, planHash } = made.decision;
  const decision = async () =>
    (
      await sql<{ status: string; planHash: string; approvals: number }>(
        `SELECT d.status::text, d."planHash", (SELECT count(*)::int FROM "Approval" a WHERE a."decisionId" = d.id) AS approvals
           FROM "Decision" d WHERE d.id = $1`,
        [decisionId],
      )
    )[0];

  // The release manager's approval of the plan as shown, held back.
  const rm = await as(browser, USERS.rm.email);
  await rm.goto(`/incidents/${made.incident.number}`);
  const approve = await holdAction(rm, async () => {
    await rm.getByRole("button", { name: "Approve rollback" }).click();
    await acknowledgeIfAsked(rm);
    await rm.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  });
  expect(inputOf(approve)).toMatchObject({ decisionId, planHash });

  // Meanwhile the responder leaves a step out: a new plan, a new hash.
  const responder = await as(browser, USERS.responder.email);
  await responder.goto(`/incidents/${made.incident.number}`);
  await responder.getByRole("button", { name: "Leave out “Notify stakeholders”" }).click();
  await expect(responder.getByRole("list", { name: "Rollback plan" })).not.toContainText("Notify stakeholders");
  await expect.poll(async () => (await decision()).planHash).not.toBe(planHash);

  // The captured approval, sent by the release manager's own session: it approves a plan that no longer exists.
  let text = "";
  const denied = await deniedOnce("decision.approve", decisionId, async () => {
    text = await replay(rm, approve);
  });
  expect(text).toContain("The plan changed while you were reviewing it");
  expect(denied).toMatchObject({ code: "stale", actorEmail: USERS.rm.email });
  expect(await decision()).toMatchObject({ status: "PROPOSED", approvals: 0 });
  await responder.reload();
  await expect(responder.getByTestId("decision-status")).toHaveText("Awaiting approval");
});
