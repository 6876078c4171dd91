// The rollback-step executors against real things: HTTP servers on 127.0.0.1, real processes
// (and their process groups), a scratch PostgreSQL database with pg_dump / pg_restore, a local
// webhook. Only the metrics provider is a stub object: what is under test there is the
// executor's comparison logic, not a provider.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveMateriality } from "@/lib/metrics/materiality";
import { type MetricsProvider, MetricsUnavailableError, type RangeQuery, type Series } from "@/lib/metrics/types";
import { STRATEGY_TEMPLATES } from "@/lib/rollback/plans";
import { adminQuery, assertPgToolsFitServer, adminUrl as serverAdminUrl } from "@/lib/testing/pg-tools";
import { isAlive } from "@/lib/testing/processes";
import { EXECUTORS, runExecutor } from "./index";
import { type ExecutionContext, type LogStream, NotConfiguredError, RefusedError, type StepResult } from "./types";

const execFileP = promisify(execFile);
const HOST = "127.0.0.1";

// ───────────────────────────── helpers ─────────────────────────────

type Line = { stream: LogStream; line: string; at: number };
type TestCtx = ExecutionContext & { lines: Line[]; text(): string };

let workRoot: string;

function makeCtx(overrides: Partial<ExecutionContext> = {}): TestCtx {
  const lines: Line[] = [];
  return {
    signal: new AbortController().signal,
    log: (stream, line) => {
      lines.push({ stream, line, at: performance.now() });
    },
    env: {},
    run: { id: "run-42", incidentTitle: 'Checkout answers "500"', serviceName: "checkout" },
    workDir: workRoot,
    previous: {},
    ...overrides,
    lines,
    text: () => lines.map((l) => l.line).join("\n"),
  };
}

type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, received: Received) => unknown,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    received.push(r);
    await handler(req, res, r);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

beforeAll(async () => {
  workRoot = await mkdtemp(path.join(os.tmpdir(), "backout-executors-"));
});

afterAll(async () => {
  await rm(workRoot, { recursive: true, force: true });
});

// ───────────────────────────── http ─────────────────────────────

describe("http executor", () => {
  it("sends the templated request and passes on the expected status", async () => {
    const server = await startServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"switched":true}'));
    try {
      const ctx = makeCtx();
      const result = await EXECUTORS.HTTP(
        {
          method: "post",
          url: `${server.url}/switch?env=blue&token=abc123`,
          headers: { "content-type": "application/json" },
          body: '{"reason":"{{incident.title}}","service":"{{service.name}}","run":"{{run.id}}"}',
        },
        ctx,
      );
      expect(result).toMatchObject({
        ok: true,
        httpStatus: 200,
        summary: "answered 200",
        output: { status: 200, body: '{"switched":true}' },
      });
      expect(server.received).toHaveLength(1);
      expect(server.received[0].method).toBe("POST");
      expect(server.received[0].url).toBe("/switch?env=blue&token=abc123");
      // The title's quotes are JSON-escaped: the body stays valid JSON.
      expect(JSON.parse(server.received[0].body)).toEqual({ reason: 'Checkout answers "500"', service: "checkout", run: "run-42" });
      expect(ctx.lines.map((l) => l.line)).toEqual([
        `POST ${server.url}/switch?env=***&token=***`,
        expect.stringMatching(/^answered 200 OK in \d+ ms$/),
      ]);
      expect(ctx.text()).not.toContain("abc123");
    } finally {
      await server.close();
    }
  });

  it("a failing status gives ok:false with the status and the first 2 KB of the body", async () => {
    const server = await startServer((_req, res) => res.writeHead(503).end(`upstream unavailable ${"x".repeat(5000)}`));
    try {
      const result = await EXECUTORS.HTTP({ url: `${server.url}/flags/off` }, makeCtx());
      expect(result.ok).toBe(false);
      expect(result.summary).toBe("answered 503, expected 200");
      expect(result.httpStatus).toBe(503);
      expect(result.output?.status).toBe(503);
      expect(result.output?.body).toMatch(/^upstream unavailable x+$/);
      expect(String(result.output?.body).length).toBe(2048);
      expect(result.output?.bodyTruncated).toBe(true);

      const accepted = await EXECUTORS.HTTP({ url: `${server.url}/flags/off`, expectedStatus: [200, 503] }, makeCtx());
      expect(accepted.ok).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("gives up after timeoutMs", async () => {
    const server = await startServer(async (_req, res) => {
      await sleep(3000);
      res.end("late");
    });
    try {
      const started = performance.now();
      const result = await EXECUTORS.HTTP({ url: `${server.url}/slow`, timeoutMs: 200 }, makeCtx());
      expect(performance.now() - started).toBeLessThan(1500);
      expect(result).toMatchObject({ ok: false, summary: "no answer within 200 ms" });
    } finally {
      await server.close();
    }
  });

  it("stops promptly when the run is aborted", async () => {
    const server = await startServer(async (_req, res) => {
      await sleep(3000);
      res.end("late");
    });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const started = performance.now();
      const result = await EXECUTORS.HTTP({ url: `${server.url}/slow` }, makeCtx({ signal: controller.signal }));
      expect(performance.now() - started).toBeLessThan(1500);
      expect(result).toMatchObject({ ok: false, output: { aborted: true } });
    } finally {
      await server.close();
    }
  });

  it("takes a secret header from the environment by name and never shows its value", async () => {
    const secret = "rtr_live_7f3c9a1e5b";
    const server = await startServer((req, res) =>
      res
        .writeHead(req.headers.authorization === `Bearer ${secret}` ? 403 : 401)
        .end(`token ${req.headers.authorization} is not allowed here (${secret})`),
    );
    try {
      const ctx = makeCtx({ env: { ROUTER_TOKEN: `Bearer ${secret}` } });
      const result = await EXECUTORS.HTTP(
        { method: "POST", url: `${server.url}/switch`, secretHeaders: { Authorization: "ROUTER_TOKEN" } },
        ctx,
      );
      expect(server.received[0].headers.authorization).toBe(`Bearer ${secret}`);
      expect(result).toMatchObject({ ok: false, summary: "answered 403, expected 200" });
      expect(result.output?.body).toBe("token [redacted] is not allowed here ([redacted])");
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(ctx.text()).not.toContain(secret);
      expect(ctx.text()).toContain("[redacted]");
    } finally {
      await server.close();
    }
  });

  it("refuses before sending anything when a setting or a named environment variable is missing", async () => {
    const server = await startServer((_req, res) => res.end("ok"));
    try {
      const ctx = makeCtx();
      const missingEnv = EXECUTORS.HTTP({ url: `${server.url}/x`, secretHeaders: { "X-Api-Key": "FLAGS_API_KEY" } }, ctx);
      await expect(missingEnv).rejects.toBeInstanceOf(NotConfiguredError);
      await expect(missingEnv).rejects.toThrow("http step needs the environment variable FLAGS_API_KEY (for the X-Api-Key header)");
      await expect(EXECUTORS.HTTP({}, ctx)).rejects.toThrow(/^http step needs config\.url/);
      await expect(EXECUTORS.HTTP(undefined, ctx)).rejects.toThrow(/^http step needs config\.url/);
      await expect(EXECUTORS.HTTP({ url: "ftp://example" }, ctx)).rejects.toThrow(
        "http step: config.url: must be an absolute http:// or https:// URL",
      );
      await expect(EXECUTORS.HTTP({ url: `${server.url}/x`, method: "POST", body: "{{incident.severity}}" }, ctx)).rejects.toThrow(
        "unknown placeholder {{incident.severity}}",
      );
      expect(server.received).toHaveLength(0);
      expect(ctx.lines).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

// ───────────────────────────── command ─────────────────────────────

describe("command executor", () => {
  it("captures stdout and stderr line by line, in order, as they arrive", async () => {
    const ctx = makeCtx();
    const started = performance.now();
    const result = await EXECUTORS.COMMAND(
      {
        argv: [
          "bash",
          "-c",
          "echo one; sleep 0.1; echo two >&2; sleep 0.1; printf 'three\\nfo'; sleep 0.3; echo ur; sleep 0.1; echo five >&2",
        ],
      },
      ctx,
    );
    const finished = performance.now();
    expect(result).toMatchObject({ ok: true, exitCode: 0, summary: "bash exited with code 0" });
    const output = ctx.lines.filter((l) => l.stream !== "INFO").map((l) => [l.stream, l.line]);
    expect(output).toEqual([
      ["STDOUT", "one"],
      ["STDERR", "two"],
      ["STDOUT", "three"],
      ["STDOUT", "four"],
      ["STDERR", "five"],
    ]);
    // "one" was logged while the command was still running, not collected at the end.
    const one = ctx.lines.find((l) => l.line === "one");
    expect(finished - (one?.at ?? finished)).toBeGreaterThan(400);
    expect(finished - started).toBeGreaterThan(550);
    expect(ctx.lines[0]).toMatchObject({ stream: "INFO", line: expect.stringContaining("$ bash -c") });
    expect(result.output?.lastLines).toEqual(["one", "[stderr] two", "three", "four", "[stderr] five"]);
  });

  it("hands a secret to the command by environment variable name and keeps its value out of the log and output", async () => {
    const secret = "s3cr3t-deploy-token-0451";
    const ctx = makeCtx({ env: { PATH: process.env.PATH, DEPLOY_TOKEN_SOURCE: secret } });
    const result = await EXECUTORS.COMMAND(
      { argv: ["bash", "-c", 'echo "token=$DEPLOY_TOKEN"'], secretEnv: { DEPLOY_TOKEN: "DEPLOY_TOKEN_SOURCE" } },
      ctx,
    );
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(ctx.text()).toContain("token=[redacted]");
    expect(ctx.text()).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(secret);
    await expect(EXECUTORS.COMMAND({ argv: ["true"], secretEnv: { DEPLOY_TOKEN: "NOT_SET_ANYWHERE" } }, makeCtx())).rejects.toThrow(
      "command step needs the environment variable NOT_SET_ANYWHERE (for the command's DEPLOY_TOKEN)",
    );
  });

  it("never goes through a shell", async () => {
    const ctx = makeCtx({ env: { PATH: process.env.PATH, FROM_SERVER: "server-value" } });
    const result = await EXECUTORS.COMMAND({ argv: ["echo", "$HOME; touch /tmp/pwned && echo `id`"] }, ctx);
    expect(result.ok).toBe(true);
    expect(ctx.lines.filter((l) => l.stream === "STDOUT").map((l) => l.line)).toEqual(["$HOME; touch /tmp/pwned && echo `id`"]);

    const env = await EXECUTORS.COMMAND({ argv: ["printenv", "FROM_STEP"], env: { FROM_STEP: "step-value" } }, ctx);
    expect(env.output?.lastLines).toEqual(["step-value"]);
  });

  it("runs with the base environment and the step's own variables, never the server's; secrets printed are stored as [redacted]", async () => {
    const server = {
      PATH: process.env.PATH,
      HOME: "/home/backout",
      LANG: "C.UTF-8",
      AUTH_SECRET: "auth-secret-that-forges-sessions-0123456789",
      DATABASE_URL: "postgres://backout:db-pa55word-9f2@db.internal:5432/backout",
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: "bmV4dC1hY3Rpb25zLWtleS0wMTIzNDU2Nzg5MDEyMzQ1",
      SLACK_TOKEN: "xoxb-not-for-steps-123456",
      DEPLOY_KEY_SOURCE: "deploy-key-7781-secret",
      UNRELATED: "server-only-value",
    };
    const ctx = makeCtx({ env: server });
    const result = await EXECUTORS.COMMAND({ argv: ["env"], env: { TARGET: "blue" }, secretEnv: { DEPLOY_KEY: "DEPLOY_KEY_SOURCE" } }, ctx);
    expect(result.ok).toBe(true);
    const printed = ctx.lines.filter((l) => l.stream === "STDOUT").map((l) => l.line);
    expect(printed.sort()).toEqual(
      [`PATH=${process.env.PATH}`, "HOME=/home/backout", "LANG=C.UTF-8", "TARGET=blue", "DEPLOY_KEY=[redacted]"].sort(),
    );
    const stored = `${ctx.text()}\n${JSON.stringify(result)}`;
    for (const name of ["AUTH_SECRET", "DATABASE_URL", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "SLACK_TOKEN", "UNRELATED"]) {
      expect(stored).not.toContain(name);
    }
    expect(stored).not.toContain(server.DEPLOY_KEY_SOURCE);

    // A step that gets the server's secrets some other way (here: written into its argv) still stores none of them.
    const leaky = makeCtx({ env: server });
    const echoed = await EXECUTORS.COMMAND(
      { argv: ["echo", server.AUTH_SECRET, server.DATABASE_URL, "db-pa55word-9f2", server.SLACK_TOKEN, server.UNRELATED] },
      leaky,
    );
    expect(echoed.output?.lastLines).toEqual(["[redacted] [redacted] [redacted] [redacted] server-only-value"]);
    expect(`${leaky.text()}${JSON.stringify(echoed)}`).not.toMatch(/auth-secret|db-pa55word|xoxb-/);
  });

  it("a non-zero exit is a failure with its exit code", async () => {
    const result = await EXECUTORS.COMMAND(
      { argv: ["bash", "-c", "echo 'stopping app'; echo 'unit app.service not found' >&2; exit 3"] },
      makeCtx(),
    );
    expect(result).toMatchObject({ ok: false, exitCode: 3, summary: "bash exited with code 3" });
    expect(result.output).toMatchObject({ exitCode: 3, lastLines: ["stopping app", "[stderr] unit app.service not found"] });
  });

  it("a program that does not exist fails plainly", async () => {
    const result = await EXECUTORS.COMMAND({ argv: ["/nonexistent/rollback-tool", "--now"] }, makeCtx());
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^could not start \/nonexistent\/rollback-tool \(ENOENT/);
  });

  it("on timeout kills the whole process group, grandchildren included, and keeps the output", async () => {
    const ctx = makeCtx();
    const started = performance.now();
    const result = await EXECUTORS.COMMAND(
      { argv: ["bash", "-c", "echo start; sleep 30 & echo child $!; sleep 30; echo never"], timeoutMs: 700 },
      ctx,
    );
    // SIGTERM was enough: no 2 s grace period waited for, no SIGKILL.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ctx.text()).not.toContain("SIGKILL");
    expect(result.ok).toBe(false);
    expect(result.summary).toBe("timed out after 700 ms");
    expect(result.output).toMatchObject({ timedOut: true, lastLines: ["start", expect.stringMatching(/^child \d+$/)] });
    const grandchild = Number(ctx.lines.find((l) => l.line.startsWith("child "))?.line.split(" ")[1]);
    const child = result.output?.pid as number;
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild) && !isAlive(child), 1000)).toBe(true);
    expect(ctx.lines.filter((l) => l.stream === "STDOUT").map((l) => l.line)).toEqual(["start", `child ${grandchild}`]);
    expect(ctx.text()).toContain("stopped the process group");
  });

  it("escalates to SIGKILL when the group ignores SIGTERM", async () => {
    const ctx = makeCtx();
    const started = performance.now();
    const result = await EXECUTORS.COMMAND(
      { argv: ["bash", "-c", "trap '' TERM; sleep 30 & echo child $!; echo ready; wait"], timeoutMs: 300 },
      ctx,
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(2000);
    expect(elapsed).toBeLessThan(5000);
    expect(result).toMatchObject({ ok: false, summary: "timed out after 300 ms" });
    expect(ctx.text()).toContain("SIGKILL after the grace period");
    const grandchild = Number(ctx.lines.find((l) => l.line.startsWith("child "))?.line.split(" ")[1]);
    expect(await waitFor(() => !isAlive(grandchild), 1000)).toBe(true);
  });

  it("an abort of the run kills the process group promptly", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const ctx = makeCtx({
      signal: controller.signal,
      log: (_stream, line) => {
        lines.push(line);
        if (line === "ready") controller.abort();
      },
    });
    const started = performance.now();
    const result = await EXECUTORS.COMMAND({ argv: ["bash", "-c", "sleep 30 & echo child $!; echo ready; sleep 30"] }, ctx);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({ ok: false, output: { aborted: true } });
    expect(result.summary).toMatch(/^aborted/);
    const grandchild = Number(lines.find((l) => l.startsWith("child "))?.split(" ")[1]);
    expect(await waitFor(() => !isAlive(grandchild), 1000)).toBe(true);
  });

  it("reports the program's pid and group as it starts, tagged so recovery can recognise the group", async () => {
    const started: { pid: number; pgid: number }[] = [];
    const ctx = makeCtx({ process: { tag: "execution-tag-1", onStart: (p) => started.push(p) } });
    const result = await EXECUTORS.COMMAND({ argv: ["bash", "-c", "echo $$ $(ps -o pgid= $$)"] }, ctx);
    expect(result.ok).toBe(true);
    const [pid, pgid] = String((result.output?.lastLines as string[] | undefined)?.[0])
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(started).toEqual([{ pid, pgid }]);
    expect(result.output).toMatchObject({ pid, pgid });
    expect(pgid).not.toBe(process.pid);
  });

  it("the process group dies with the server that started it (SIGKILL), before the program can finish", async () => {
    const file = path.join(workRoot, "server-killed");
    const marks = path.join(workRoot, "server-killed-pids");
    // A stand-in server: a node process that runs the step's command through runProcess and is
    // then SIGKILLed, as a crashed `next start` would be. The command is quiet: nothing it writes
    // would notice the server is gone.
    const script = `
      import { runProcess } from ${JSON.stringify(path.resolve("lib/rollback/executors/process.ts"))};
      await runProcess({
        argv: ["bash", "-c", ${JSON.stringify(`sleep 20 & echo $! > ${marks}; sleep 5; echo done >> ${file}`)}],
        env: { PATH: process.env.PATH }, timeoutMs: 60_000, signal: new AbortController().signal, onLine: () => {},
        track: { tag: "t", onStart: (p) => console.log(JSON.stringify(p)) },
      });`;
    const { spawn } = await import("node:child_process");
    const server = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const started = await new Promise<{ pid: number; pgid: number }>((resolve) =>
      server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))),
    );
    expect(await waitFor(() => isAlive(started.pid), 2000)).toBe(true);
    await waitFor(() => readFileSync(marks, { flag: "a+" }).length > 0, 2000);
    const grandchild = Number(readFileSync(marks, "utf8"));
    server.kill("SIGKILL");
    // The supervisor sees its channel close: SIGTERM to the group, SIGKILL after the grace period.
    expect(await waitFor(() => !isAlive(started.pid) && !isAlive(grandchild) && !isAlive(started.pgid), 3500)).toBe(true);
    await sleep(5500);
    expect(readFileSync(file, { flag: "a+" }).toString()).toBe("");
  }, 20_000);

  it("needs a non-empty argv", async () => {
    await expect(EXECUTORS.COMMAND({}, makeCtx())).rejects.toThrow(/^command step needs config\.argv \(a non-empty list/);
    await expect(EXECUTORS.COMMAND({ argv: [] }, makeCtx())).rejects.toThrow(
      "command step: config.argv: needs at least the program to run",
    );
    await expect(EXECUTORS.COMMAND({ argv: "rm -rf /" }, makeCtx())).rejects.toBeInstanceOf(NotConfiguredError);
  });
});

// ───────────────────────────── postgres ─────────────────────────────

describe("postgres executor", () => {
  const scratch = `backout_exec_${Date.now().toString(36)}_${process.pid}`;
  let adminUrl: string;
  let targetUrl: string;
  let password: string;
  let env: Record<string, string | undefined>;

  const withDb = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: targetUrl.replace(/\?.*$/, "") });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const countOrders = () => withDb(async (c) => Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM orders")).rows[0].n));
  const badRelease = () => withDb((c) => c.query("DELETE FROM orders WHERE id IN (2, 4, 6, 8)"));
  const resetOrders = () =>
    withDb(async (c) => {
      await c.query("DROP TABLE IF EXISTS orders");
      await c.query("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, qty int NOT NULL)");
      await c.query("INSERT INTO orders SELECT i, 'item ' || i, i * 2 FROM generate_series(1, 10) AS i");
    });

  beforeAll(async () => {
    await assertPgToolsFitServer();
    adminUrl = serverAdminUrl();
    password = decodeURIComponent(new URL(adminUrl).password);
    await adminQuery(`CREATE DATABASE "${scratch}"`);
    const target = new URL(adminUrl);
    target.pathname = `/${scratch}`;
    target.search = "?schema=public"; // as Prisma URLs carry; libpq would refuse it
    targetUrl = target.toString();
    env = { ...process.env, TARGET_DB_URL: targetUrl };
  });

  afterAll(async () => {
    if (adminUrl) await adminQuery(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  });

  it("backs up, and restores the emergency backup after a bad release deleted rows", async () => {
    await resetOrders();
    const backupCtx = makeCtx({ env });
    const backup = await EXECUTORS.POSTGRES({ operation: "backup", databaseUrlEnv: "TARGET_DB_URL" }, backupCtx);
    expect(backup.ok, backup.summary).toBe(true);
    const file = backup.output?.path as string;
    expect(path.dirname(file)).toBe(workRoot);
    expect(path.basename(file)).toMatch(/^emergency-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.dump$/);
    const info = await stat(file);
    expect(info.size).toBeGreaterThan(0);
    expect(info.mode & 0o777).toBe(0o600);
    expect(backup.output).toMatchObject({ bytes: info.size, database: `127.0.0.1:${new URL(adminUrl).port || "5432"}/${scratch}` });
    const listing = await execFileP("pg_restore", ["--list", file]);
    expect(listing.stdout).toContain("TABLE DATA public orders");
    // pg_dump's own lines were streamed to the log; the password never was.
    expect(backupCtx.lines.some((l) => l.stream === "STDERR" && l.line.includes('dumping contents of table "public.orders"'))).toBe(true);
    if (password) expect(JSON.stringify([backup, backupCtx.lines])).not.toContain(password);

    await badRelease();
    expect(await countOrders()).toBe(6);

    const restoreCtx = makeCtx({ env, previous: { "emergency-backup": backup } });
    const restored = await EXECUTORS.POSTGRES({ operation: "restore", databaseUrlEnv: "TARGET_DB_URL" }, restoreCtx);
    expect(restored.ok, restored.summary).toBe(true);
    expect(restored.output).toMatchObject({ path: file, fromStep: "emergency-backup" });
    expect(await countOrders()).toBe(10);
    expect(restoreCtx.text()).toContain("one transaction");
  });

  it("restore refuses, touching nothing, without a successful emergency backup", async () => {
    await resetOrders();
    const backup = await EXECUTORS.POSTGRES({ operation: "backup", databaseUrlEnv: "TARGET_DB_URL" }, makeCtx({ env }));
    expect(backup.ok).toBe(true);
    await badRelease();
    expect(await countOrders()).toBe(6);

    const config = { operation: "restore", databaseUrlEnv: "TARGET_DB_URL" };
    const attempts: [Record<string, StepResult | undefined>, string][] = [
      [{}, 'the emergency backup step "emergency-backup" has not run'],
      [{ "emergency-backup": { ok: false, summary: "pg_dump exited with code 1" } }, "did not succeed (pg_dump exited with code 1)"],
      [{ "emergency-backup": { ok: true, summary: "backed up", output: {} } }, "recorded no backup file"],
      [
        { "emergency-backup": { ...backup, output: { ...backup.output, path: path.join(workRoot, "gone.dump") } } },
        "the emergency backup is gone",
      ],
      [
        { "emergency-backup": { ...backup, output: { ...backup.output, database: "db.prod:5432/orders" } } },
        "was taken of db.prod:5432/orders",
      ],
      [{ "pre-restore-backup": backup }, 'the emergency backup step "emergency-backup" has not run'],
    ];
    for (const [previous, why] of attempts) {
      const attempt = EXECUTORS.POSTGRES(config, makeCtx({ env, previous }));
      await expect(attempt).rejects.toBeInstanceOf(RefusedError);
      await expect(attempt).rejects.toThrow(why);
    }
    // A given archive that is not a dump is refused before the database is touched too.
    const notADump = path.join(workRoot, "not-a-dump.sql");
    await writeFile(notADump, "DROP TABLE orders;\n");
    await expect(
      EXECUTORS.POSTGRES({ ...config, backupPath: notADump }, makeCtx({ env, previous: { "emergency-backup": backup } })),
    ).rejects.toThrow(/not a readable pg_dump archive/);
    expect(await countOrders()).toBe(6);

    // fromStep names another backup step.
    const restored = await EXECUTORS.POSTGRES(
      { ...config, fromStep: "pre-restore-backup" },
      makeCtx({ env, previous: { "pre-restore-backup": backup } }),
    );
    expect(restored.ok, restored.summary).toBe(true);
    expect(await countOrders()).toBe(10);
  });

  it("integrity passes or lists each failure", async () => {
    await resetOrders();
    const ok = await EXECUTORS.POSTGRES(
      {
        operation: "integrity",
        databaseUrlEnv: "TARGET_DB_URL",
        tables: ["orders", "public.orders"],
        rowCounts: [{ table: "orders", min: 10 }],
      },
      makeCtx({ env }),
    );
    expect(ok.ok, ok.summary).toBe(true);
    expect(ok.output).toMatchObject({ tables: { orders: true, "public.orders": true }, counts: { orders: 10 } });

    await badRelease();
    const bad = await EXECUTORS.POSTGRES(
      {
        operation: "integrity",
        databaseUrlEnv: "TARGET_DB_URL",
        tables: ["orders", "audit_log"],
        rowCounts: [
          { table: "orders", min: 10 },
          { table: "payments", min: 1 },
        ],
      },
      makeCtx({ env }),
    );
    expect(bad.ok).toBe(false);
    expect(bad.summary).toBe("table audit_log is missing; orders has 6 rows, expected at least 10; table payments is missing");
    expect(bad.output).toMatchObject({ tables: { orders: true, audit_log: false, payments: false }, counts: { orders: 6 } });

    // A name that is not a plain identifier is looked up, never spliced into SQL.
    const injection = await EXECUTORS.POSTGRES(
      { operation: "integrity", databaseUrlEnv: "TARGET_DB_URL", rowCounts: [{ table: "orders; DROP TABLE orders", min: 0 }] },
      makeCtx({ env }),
    );
    expect(injection.ok).toBe(false);
    expect(await countOrders()).toBe(6);
  });

  it("check-backup accepts a fresh dump and rejects a missing, empty, stale or non-dump file", async () => {
    await resetOrders();
    const backup = await EXECUTORS.POSTGRES({ operation: "backup", databaseUrlEnv: "TARGET_DB_URL" }, makeCtx({ env }));
    const file = backup.output?.path as string;

    const fresh = await EXECUTORS.POSTGRES({ operation: "check-backup", backupPath: file }, makeCtx());
    expect(fresh.ok, fresh.summary).toBe(true);
    expect(fresh.output).toMatchObject({ path: file, bytes: backup.output?.bytes, entries: backup.output?.entries });
    expect(fresh.output?.ageHours).toBeLessThan(0.1);

    const missing = await EXECUTORS.POSTGRES({ operation: "check-backup", backupPath: path.join(workRoot, "nightly.dump") }, makeCtx());
    expect(missing).toMatchObject({ ok: false, summary: `no backup at ${path.join(workRoot, "nightly.dump")}` });

    const text = path.join(workRoot, "nightly.sql");
    await writeFile(text, "this is not a pg_dump archive\n");
    const notDump = await EXECUTORS.POSTGRES({ operation: "check-backup", backupPath: text }, makeCtx());
    expect(notDump.ok).toBe(false);
    expect(notDump.summary).toMatch(/is not a readable pg_dump archive: .*valid archive/);

    const empty = path.join(workRoot, "empty.dump");
    await writeFile(empty, "");
    expect(await EXECUTORS.POSTGRES({ operation: "check-backup", backupPath: empty }, makeCtx())).toMatchObject({
      ok: false,
      summary: `the backup ${empty} is empty`,
    });

    const old = new Date(Date.now() - 30 * 3600_000);
    await utimes(file, old, old);
    const stale = await EXECUTORS.POSTGRES({ operation: "check-backup", backupPath: file }, makeCtx());
    expect(stale).toMatchObject({ ok: false, summary: "the backup is 30 h old, more than 24 h" });
    expect((await EXECUTORS.POSTGRES({ operation: "check-backup", backupPath: file, maxBackupAgeHours: 48 }, makeCtx())).ok).toBe(true);
  });

  it("a failing pg_dump is a failure with its message, and leaves no partial file", async () => {
    const wrong = new URL(targetUrl);
    wrong.pathname = "/backout_no_such_database";
    const ctx = makeCtx({ env: { ...env, WRONG_DB_URL: wrong.toString() } });
    const before = await readdir(workRoot);
    const result = await EXECUTORS.POSTGRES({ operation: "backup", databaseUrlEnv: "WRONG_DB_URL" }, ctx);
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^pg_dump exited with code 1: .*backout_no_such_database/);
    expect(result.exitCode).toBe(1);
    expect(await readdir(workRoot)).toEqual(before);
  });

  it("says plainly what is missing", async () => {
    const ctx = makeCtx({ env });
    await expect(EXECUTORS.POSTGRES({}, ctx)).rejects.toThrow(
      "postgres step needs config.operation (one of check-backup, backup, restore, integrity)",
    );
    await expect(EXECUTORS.POSTGRES({ operation: "vacuum" }, ctx)).rejects.toBeInstanceOf(NotConfiguredError);
    await expect(EXECUTORS.POSTGRES({ operation: "backup" }, ctx)).rejects.toThrow(/^postgres backup step needs config\.databaseUrlEnv/);
    await expect(EXECUTORS.POSTGRES({ operation: "backup", databaseUrlEnv: "PROD_DB_URL" }, ctx)).rejects.toThrow(
      "postgres backup step needs the environment variable PROD_DB_URL (the target database URL)",
    );
    await expect(EXECUTORS.POSTGRES({ operation: "backup", databaseUrlEnv: "postgres://u:p@db/x" }, ctx)).rejects.toThrow(
      /must be the NAME of an environment variable/,
    );
    await expect(EXECUTORS.POSTGRES({ operation: "check-backup" }, ctx)).rejects.toThrow(
      "postgres check-backup step needs config.backupPath",
    );
    await expect(EXECUTORS.POSTGRES({ operation: "integrity", databaseUrlEnv: "TARGET_DB_URL" }, ctx)).rejects.toThrow(
      "postgres integrity step needs config.tables or config.rowCounts",
    );
  });
});

// ───────────────────────────── health check ─────────────────────────────

describe("health-check executor", () => {
  it("retries a URL that fails twice, then passes", async () => {
    let hits = 0;
    const server = await startServer((req, res) => {
      if (req.url === "/flaky") hits++;
      res.writeHead(req.url === "/flaky" && hits <= 2 ? 503 : req.url === "/created" ? 204 : 200).end();
    });
    try {
      const ctx = makeCtx();
      const result = await EXECUTORS.HEALTH_CHECK(
        { urls: [`${server.url}/flaky`, { url: `${server.url}/created`, expectedStatus: 204 }], intervalMs: 50 },
        ctx,
      );
      expect(result.ok, result.summary).toBe(true);
      expect(result.summary).toBe("2 of 2 healthy");
      expect(result.output?.results).toMatchObject([
        { url: `${server.url}/flaky`, ok: true, attempts: 3, status: 200 },
        { url: `${server.url}/created`, ok: true, attempts: 1, status: 204 },
      ]);
      const attempts = ctx.lines
        .filter((l) => l.line.startsWith(`${server.url}/flaky attempt`))
        .map((l) => l.line.replace(/ in \d+ ms/, ""));
      expect(attempts).toEqual([
        `${server.url}/flaky attempt 1/4: answered 503, expected 200`,
        `${server.url}/flaky attempt 2/4: answered 503, expected 200`,
        `${server.url}/flaky attempt 3/4: answered 200`,
      ]);
    } finally {
      await server.close();
    }
  });

  it("fails when any URL stays unhealthy, slow or unreachable", async () => {
    const server = await startServer(async (req, res) => {
      if (req.url === "/slow") await sleep(300);
      res.writeHead(req.url === "/down" ? 500 : 200).end();
    });
    const closed = await startServer((_req, res) => res.end());
    await closed.close();
    try {
      const started = performance.now();
      const result = await EXECUTORS.HEALTH_CHECK(
        {
          urls: [`${server.url}/ok`, `${server.url}/down`, `${server.url}/slow`, `${closed.url}/gone`],
          retries: 1,
          intervalMs: 100,
          degradedLatencyMs: 150,
        },
        makeCtx(),
      );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(result.ok).toBe(false);
      expect(result.summary).toMatch(/^3 of 4 failed: /);
      expect(result.summary).toContain(`${server.url}/down answered 500, expected 200`);
      expect(result.summary).toMatch(/\/slow degraded: answered 200 in \d+ ms \(limit 150 ms\)/);
      expect(result.summary).toContain(`${closed.url}/gone could not connect`);
      expect(result.output?.results).toMatchObject([
        { ok: true, attempts: 1 },
        { ok: false, attempts: 2 },
        { ok: false, attempts: 2 },
        { ok: false, attempts: 2 },
      ]);
    } finally {
      await server.close();
    }
  });

  it("needs URLs", async () => {
    await expect(EXECUTORS.HEALTH_CHECK({}, makeCtx())).rejects.toThrow(/^health-check step needs config\.urls/);
    await expect(EXECUTORS.HEALTH_CHECK({ urls: [] }, makeCtx())).rejects.toThrow("needs at least one URL");
  });
});

// ───────────────────────────── wait ─────────────────────────────

describe("wait executor", () => {
  it("waits the configured time", async () => {
    const ctx = makeCtx();
    const started = performance.now();
    const result = await EXECUTORS.WAIT({ seconds: 1 }, ctx);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(result).toMatchObject({ ok: true, summary: "waited 1 s" });
    expect(ctx.lines[0].line).toBe("waiting 1 s");
  });

  it("an abort mid-wait returns promptly", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const result = await EXECUTORS.WAIT({ seconds: 600 }, makeCtx({ signal: controller.signal }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^aborted after 0\.\d s of 600 s$/);
    expect(result.output?.aborted).toBe(true);
  });

  it("is bounded to 1..600 s", async () => {
    await expect(EXECUTORS.WAIT({}, makeCtx())).rejects.toThrow("wait step needs config.seconds (how long to wait, 1 to 600)");
    await expect(EXECUTORS.WAIT({ seconds: 0 }, makeCtx())).rejects.toBeInstanceOf(NotConfiguredError);
    await expect(EXECUTORS.WAIT({ seconds: 3600 }, makeCtx())).rejects.toBeInstanceOf(NotConfiguredError);
  });
});

// ───────────────────────────── verify metrics ─────────────────────────────

describe("verify-metrics executor", () => {
  type Values = Partial<Record<"ERROR_RATE" | "LATENCY_P99", number[]>>;
  /** The baseline window the stub treats as "before the deploy": two hours ago, an hour long. */
  const baselineWindow = () => ({ from: Date.now() - 2 * 3600_000, to: Date.now() - 3600_000 });
  /**
   * A stub provider answering fixed values spread over the queried window, and recording the queries. Windows
   * that end more than 10 minutes ago (the baselines) get `history` instead.
   */
  function stubProvider(values: Values, fail?: Error, history: Values = {}) {
    const queries: RangeQuery[] = [];
    const provider: MetricsProvider = {
      label: "the stub",
      async queryRange(query) {
        queries.push(query);
        if (fail) throw fail;
        const past = query.to.getTime() < Date.now() - 10 * 60_000;
        return query.metrics.map((metric): Series => {
          const v = (past ? history : values)[metric as keyof Values] ?? [];
          const span = query.to.getTime() - query.from.getTime();
          return { metric, points: v.map((x, i) => ({ t: query.from.getTime() + ((i + 1) * span) / (v.length + 1), v: x })) };
        });
      },
    };
    return { provider, queries };
  }
  const ctxWith = (provider: MetricsProvider, switchedAt: number | null = null) =>
    makeCtx({ metrics: { provider, baselineWindow: baselineWindow(), switchedAt, materiality: resolveMateriality({}) } });

  it("passes when the medians are under the limits (a single spike does not fail it)", async () => {
    const { provider, queries } = stubProvider({ ERROR_RATE: [0.01, 0.02, 0.9, 0.01, 0.02], LATENCY_P99: [120, 130, 125] });
    const result = await EXECUTORS.VERIFY_METRICS({ maxErrorRate: 0.05, maxP99Ms: 200 }, ctxWith(provider));
    expect(result.ok, result.summary).toBe(true);
    expect(result.summary).toBe("error rate 2% ≤ 5%, p99 125 ms ≤ 200 ms");
    expect(result.output).toMatchObject({ statistic: "median", errorRate: { value: 0.02, samples: 5 }, p99Ms: { value: 125, samples: 3 } });
    expect(queries).toHaveLength(1);
    expect(queries[0].metrics).toEqual(["ERROR_RATE", "LATENCY_P99"]);
    expect(queries[0].to.getTime() - queries[0].from.getTime()).toBe(60_000);
  });

  it("fails with the numbers when a limit is exceeded", async () => {
    const { provider } = stubProvider({ ERROR_RATE: [0.15, 0.148, 0.14], LATENCY_P99: [340, 350, 330] });
    const result = await EXECUTORS.VERIFY_METRICS({}, ctxWith(provider));
    expect(result).toMatchObject({ ok: false, summary: "error rate 14.8% > 5%; p99 340 ms > 200 ms" });
    expect(result.output?.failures).toEqual(["error rate 14.8% > 5%", "p99 340 ms > 200 ms"]);
  });

  it("starts its window at the run's traffic switch when that is within windowSeconds, and says so", async () => {
    const { provider, queries } = stubProvider({ ERROR_RATE: [0.01, 0.01, 0.01], LATENCY_P99: [120, 125, 130] });
    const switchedAt = Date.now() - 20_000;
    const result = await EXECUTORS.VERIFY_METRICS({ windowSeconds: 60 }, ctxWith(provider, switchedAt));
    expect(result.ok, result.summary).toBe(true);
    expect(queries[0].from.getTime()).toBe(switchedAt);
    expect(result.output).toMatchObject({ window: { from: new Date(switchedAt).toISOString(), sinceSwitch: true } });
    expect(result.output?.window).toMatchObject({ sinceSwitch: true });

    // A switch longer ago than windowSeconds: the last windowSeconds, as before.
    const older = stubProvider({ ERROR_RATE: [0.01], LATENCY_P99: [120] });
    const r2 = await EXECUTORS.VERIFY_METRICS({ windowSeconds: 60 }, ctxWith(older.provider, Date.now() - 10 * 60_000));
    expect(older.queries[0].to.getTime() - older.queries[0].from.getTime()).toBe(60_000);
    expect(r2.output).toMatchObject({ window: { sinceSwitch: false } });

    // No sample since the switch yet is a failure that names the window, never a pass.
    const empty = await EXECUTORS.VERIFY_METRICS({}, ctxWith(stubProvider({}).provider, switchedAt));
    expect(empty.ok).toBe(false);
    expect(empty.summary).toMatch(/^no metric data since the switch at .+ \(2\d s\)$/);
  });

  it("compares the p99 with the baseline by the verdict rule, the tolerance as its materiality", async () => {
    const before = {
      ERROR_RATE: Array(24).fill(0.01),
      LATENCY_P99: [98, 101, 100, 99, 102, 97, 103, 100, 99, 101, 98, 102, 100, 101, 99, 100],
    };
    const worse = stubProvider({ ERROR_RATE: [0.01], LATENCY_P99: [150, 152, 148, 155, 151, 149] }, undefined, before);
    const fail = await EXECUTORS.VERIFY_METRICS({ withinBaselineTolerance: 0.3 }, ctxWith(worse.provider));
    expect(fail.ok).toBe(false);
    expect(fail.summary).toMatch(
      /^p99 more than 30% worse than the baseline: p99 100 ms → 151 ms \(\+5\d\.\d%\) compared with before the deploy/,
    );
    expect(fail.output?.baseline).toMatchObject({ tolerance: 0.3, verdict: "worse", baselineP99: 100, ok: false });
    // The pre-deploy window and the same clock windows a day and a week earlier were all queried.
    expect(worse.queries.map((q) => q.from.getTime() < Date.now() - 20 * 3600_000).filter(Boolean)).toHaveLength(4);

    // 40 % above the baseline is within a tolerance of 50 %: the change is real but not material.
    const within = stubProvider({ ERROR_RATE: [0.01], LATENCY_P99: [140, 142, 138, 141, 139, 140] }, undefined, before);
    const pass = await EXECUTORS.VERIFY_METRICS({ withinBaselineTolerance: 0.5 }, ctxWith(within.provider));
    expect(pass.ok, pass.summary).toBe(true);
    expect(pass.summary).toMatch(
      /p99 not more than 50% worse than the baseline \(p99 100 ms → 140 ms compared with before the deploy.*: a change of 40 ms, under the 50 ms that counts\)$/,
    );

    // Three samples inside a noisy baseline's own spread are not a regression, though their median is 13 % up:
    // the verdict needs the change to stand out of that spread (the old median rule failed on it).
    const noisy = { ...before, LATENCY_P99: [60, 140, 80, 160, 70, 150, 90, 130, 100, 170, 65, 145] };
    const unclear = stubProvider({ ERROR_RATE: [0.01], LATENCY_P99: [120, 180, 130] }, undefined, noisy);
    const r = await EXECUTORS.VERIFY_METRICS({ withinBaselineTolerance: 0.2 }, ctxWith(unclear.provider));
    expect(r.output?.baseline).toMatchObject({ verdict: "no-significant-change", ok: true });

    const noBaseline = await EXECUTORS.VERIFY_METRICS(
      { withinBaselineTolerance: 0.5 },
      ctxWith(stubProvider({ ERROR_RATE: [0.01], LATENCY_P99: [150, 151, 149] }).provider),
    );
    expect(noBaseline).toMatchObject({
      ok: false,
      summary: "p99 not compared with the baseline: not enough samples before the deploy (0 of 3)",
    });
  });

  it("no data, or no provider answer, is never a pass", async () => {
    const none = await EXECUTORS.VERIFY_METRICS({}, ctxWith(stubProvider({}).provider));
    expect(none).toMatchObject({ ok: false, summary: "no metric data in the last 60 s" });
    const half = await EXECUTORS.VERIFY_METRICS({ windowSeconds: 120 }, ctxWith(stubProvider({ ERROR_RATE: [0.01] }).provider));
    expect(half).toMatchObject({ ok: false, summary: "no p99 latency data in the last 120 s" });
    const down = await EXECUTORS.VERIFY_METRICS(
      {},
      ctxWith(stubProvider({}, new MetricsUnavailableError("Prometheus at http://prom:9090 did not answer")).provider),
    );
    expect(down).toMatchObject({ ok: false, summary: "metrics unavailable from the stub: Prometheus at http://prom:9090 did not answer" });
  });

  it("needs the service's metrics", async () => {
    await expect(EXECUTORS.VERIFY_METRICS({}, makeCtx())).rejects.toThrow(/^verify-metrics step needs the service's metrics provider/);
    await expect(EXECUTORS.VERIFY_METRICS({ maxErrorRate: 5 }, ctxWith(stubProvider({}).provider))).rejects.toThrow(
      /^verify-metrics step: config\.maxErrorRate: /,
    );
  });
});

// ───────────────────────────── notify ─────────────────────────────

describe("notify executor", () => {
  it("posts the templated text to the webhook named by the environment, never showing its URL", async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end("ok"));
    try {
      const hook = `${server.url}/services/T0001/B0002/XyZsecretPath`;
      const ctx = makeCtx({ env: { ROLLBACK_WEBHOOK_URL: hook } });
      const result = await EXECUTORS.NOTIFY(
        { webhookUrlEnv: "ROLLBACK_WEBHOOK_URL", text: "Rolled back {{service.name}}: {{incident.title}} ({{run.id}})" },
        ctx,
      );
      expect(result).toMatchObject({ ok: true, httpStatus: 200 });
      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toMatchObject({ method: "POST", url: "/services/T0001/B0002/XyZsecretPath" });
      expect(server.received[0].headers["content-type"]).toBe("application/json");
      expect(JSON.parse(server.received[0].body)).toEqual({ text: 'Rolled back checkout: Checkout answers "500" (run-42)' });
      expect(JSON.stringify(result)).not.toContain("XyZsecretPath");
      expect(ctx.text()).not.toContain("XyZsecretPath");
      expect(ctx.text()).toContain("$ROLLBACK_WEBHOOK_URL");
    } finally {
      await server.close();
    }
  });

  it("with report, lists the outcome of the earlier steps", async () => {
    const server = await startServer((_req, res) => res.writeHead(204).end());
    try {
      const previous: Record<string, StepResult> = {
        "switch-traffic": { ok: true, summary: "answered 200" },
        "verify-metrics": { ok: false, summary: "error rate 14.8% > 5%" },
        "verify-endpoints": { ok: false, summary: "skipped by an operator: probes are down", output: { skipped: true } },
      };
      const result = await EXECUTORS.NOTIFY(
        { webhookUrlEnv: "HOOK", report: true },
        makeCtx({ env: { HOOK: `${server.url}/hook` }, previous }),
      );
      expect(result.ok).toBe(true);
      expect(JSON.parse(server.received[0].body).text).toBe(
        'Rollback of checkout for the incident “Checkout answers "500"” (run run-42)\n• switch-traffic: done: answered 200\n• verify-metrics: FAILED: error rate 14.8% > 5%\n• verify-endpoints: skipped by an operator: probes are down',
      );
    } finally {
      await server.close();
    }
  });

  it("a non-2xx answer is a failure", async () => {
    const server = await startServer((_req, res) => res.writeHead(404).end("no_service"));
    try {
      const result = await EXECUTORS.NOTIFY({ webhookUrlEnv: "HOOK" }, makeCtx({ env: { HOOK: `${server.url}/hook` } }));
      expect(result).toMatchObject({ ok: false, httpStatus: 404, summary: "the webhook answered 404: no_service" });
    } finally {
      await server.close();
    }
  });

  it("says which environment variable is missing", async () => {
    await expect(EXECUTORS.NOTIFY({ webhookUrlEnv: "SLACK_WEBHOOK_URL" }, makeCtx())).rejects.toThrow(
      "notify needs the environment variable SLACK_WEBHOOK_URL (a webhook URL)",
    );
    await expect(
      EXECUTORS.NOTIFY({ webhookUrlEnv: "SLACK_WEBHOOK_URL" }, makeCtx({ env: { SLACK_WEBHOOK_URL: "not a url" } })),
    ).rejects.toThrow("the environment variable SLACK_WEBHOOK_URL must hold an http:// or https:// webhook URL");
    await expect(EXECUTORS.NOTIFY({}, makeCtx())).rejects.toThrow(/^notify step needs config\.webhookUrlEnv/);
  });
});

// ───────────────────────────── registry ─────────────────────────────

describe("executor registry", () => {
  it("has an executor for every kind, and runExecutor dispatches to it", async () => {
    expect(Object.keys(EXECUTORS).sort()).toEqual([
      "COMMAND",
      "FLAG_DISABLE",
      "HEALTH_CHECK",
      "HTTP",
      "NOTIFY",
      "POSTGRES",
      "VERIFY_METRICS",
      "WAIT",
    ]);
    const result = await runExecutor("COMMAND", { argv: ["true"] }, makeCtx({ env: { PATH: process.env.PATH } }));
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
  });

  it("every template step without its runbook settings says what it needs, before doing anything", async () => {
    const aborted = AbortSignal.abort(); // so that the template's 30 s wait ends at once
    for (const [strategy, plan] of Object.entries(STRATEGY_TEMPLATES)) {
      for (const step of plan) {
        const run = runExecutor(step.executor, step.config, makeCtx({ signal: aborted }));
        if (step.executor === "WAIT") {
          expect((await run).ok, `${strategy}/${step.key}`).toBe(false);
          continue;
        }
        await expect(run, `${strategy}/${step.key}`).rejects.toBeInstanceOf(NotConfiguredError);
      }
    }
  });
});
