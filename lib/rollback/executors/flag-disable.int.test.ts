// The flag-disable executor against a real HTTP server speaking Unleash's admin API: the demo's own
// flag service (demo/flag-service.mjs), listening on 127.0.0.1, and for the answers that service never
// gives (a token echoed back, a flag that stays on) a plain server doing just that.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlagService, type Flag } from "@/demo/flag-service.mjs";
import { runExecutor } from "./index";
import { type ExecutionContext, NotConfiguredError } from "./types";

const TOKEN = "*:*.0123456789abcdef-flag-admin-secret";
const FLAG: Flag = {
  name: "new-order-confirmation",
  project: "default",
  type: "release",
  description: "",
  environments: { production: true, development: true },
};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

function makeCtx(env: Record<string, string>) {
  const lines: string[] = [];
  const ctx: ExecutionContext = {
    signal: new AbortController().signal,
    log: (_s, line) => void lines.push(line),
    env,
    workDir: "/tmp",
    previous: {},
  };
  return { ctx, lines };
}

let service: ReturnType<typeof createFlagService>;
let baseUrl: string;
const requests: { method: string; url: string }[] = [];

beforeAll(async () => {
  service = createFlagService({ adminToken: TOKEN, flags: [FLAG] });
  service.server.on("request", (req: http.IncomingMessage) => requests.push({ method: req.method ?? "", url: req.url ?? "" }));
  baseUrl = await listen(service.server);
});
afterAll(async () => {
  await close(service.server);
});

const config = (over: Record<string, unknown> = {}) => ({
  baseUrl,
  flag: "new-order-confirmation",
  environment: "production",
  tokenEnv: "UNLEASH_ADMIN_TOKEN",
  ...over,
});

describe("flag-disable executor (Unleash admin API)", () => {
  it("turns the flag off in the one environment and reads its state back", async () => {
    service.flags.get(FLAG.name)!.environments.production = true;
    requests.length = 0;
    const { ctx, lines } = makeCtx({ UNLEASH_ADMIN_TOKEN: TOKEN });
    const result = await runExecutor("FLAG_DISABLE", config(), ctx);
    expect(result).toMatchObject({ ok: true, summary: expect.stringContaining("new-order-confirmation is off in production (read back") });
    expect(result.output).toMatchObject({
      flag: FLAG.name,
      project: "default",
      environment: "production",
      offStatus: 200,
      readStatus: 200,
      enabled: false,
    });
    expect(service.flags.get(FLAG.name)!.environments).toEqual({ production: false, development: true });
    expect(requests).toEqual([
      { method: "POST", url: "/api/admin/projects/default/features/new-order-confirmation/environments/production/off" },
      { method: "GET", url: "/api/admin/projects/default/features/new-order-confirmation/environments/production" },
    ]);
    expect(lines.join("\n")).not.toContain("flag-admin-secret");
  });

  it("a wrong token fails the step with the service's answer, the flag untouched and no secret in the log or output", async () => {
    service.flags.get(FLAG.name)!.environments.production = true;
    const wrong = "*:*.not-the-right-secret-value";
    const { ctx, lines } = makeCtx({ UNLEASH_ADMIN_TOKEN: wrong });
    const result = await runExecutor("FLAG_DISABLE", config(), ctx);
    expect(result.ok).toBe(false);
    expect(result.httpStatus).toBe(401);
    expect(result.summary).toMatch(/answered 401 \(the API token is missing or not valid\): .*valid admin API token/);
    expect(service.flags.get(FLAG.name)!.environments.production).toBe(true);
    const everything = JSON.stringify({ result, lines });
    expect(everything).not.toContain("not-the-right-secret-value");
    expect(everything).not.toContain("flag-admin-secret");
  });

  it("an unknown flag, project or environment fails with the 404 and what the service said", async () => {
    for (const [over, said] of [
      [{ flag: "no-such-flag" }, "Could not find the feature flag no-such-flag in the project default."],
      [{ project: "payments" }, "Could not find the feature flag new-order-confirmation in the project payments."],
      [{ environment: "staging" }, "The feature flag new-order-confirmation has no environment staging."],
    ] as const) {
      const { ctx } = makeCtx({ UNLEASH_ADMIN_TOKEN: TOKEN });
      const result = await runExecutor("FLAG_DISABLE", config(over), ctx);
      expect(result.ok).toBe(false);
      expect(result.httpStatus).toBe(404);
      expect(result.summary).toContain("answered 404 (no such project, flag or environment)");
      expect(result.summary).toContain(said);
    }
  });

  it("a flag that reads back as still on fails the step; an answer echoing the token is redacted", async () => {
    const stubborn = http.createServer((req, res) => {
      req.resume();
      res.writeHead(req.method === "POST" ? 200 : 200, { "content-type": "application/json" });
      res.end(
        req.method === "POST"
          ? JSON.stringify({ seen: req.headers.authorization })
          : JSON.stringify({ name: "production", featureName: FLAG.name, environment: "production", enabled: true }),
      );
    });
    const url = await listen(stubborn);
    try {
      const { ctx, lines } = makeCtx({ UNLEASH_ADMIN_TOKEN: `Bearer ${TOKEN}` });
      const result = await runExecutor("FLAG_DISABLE", config({ baseUrl: url }), ctx);
      expect(result).toMatchObject({ ok: false, output: { enabled: true } });
      expect(result.summary).toMatch(
        /^new-order-confirmation in production .* is still on after the flag service accepted turning it off$/,
      );
      expect(JSON.stringify({ result, lines })).not.toContain("flag-admin-secret");
    } finally {
      await close(stubborn);
    }

    const echo = http.createServer((req, res) => {
      req.resume();
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `token ${req.headers.authorization} may not change flags` }));
    });
    const echoUrl = await listen(echo);
    try {
      const { ctx, lines } = makeCtx({ UNLEASH_ADMIN_TOKEN: TOKEN });
      const result = await runExecutor("FLAG_DISABLE", config({ baseUrl: echoUrl }), ctx);
      expect(result.summary).toContain("answered 403 (the API token may not change this flag)");
      expect(result.summary).toContain("[redacted]");
      expect(JSON.stringify({ result, lines })).not.toContain("flag-admin-secret");
    } finally {
      await close(echo);
    }
  });

  it("refuses before calling anything when the token's variable is not set or a setting is missing", async () => {
    requests.length = 0;
    await expect(runExecutor("FLAG_DISABLE", config(), makeCtx({}).ctx)).rejects.toThrow(
      new NotConfiguredError("flag-disable step needs the environment variable UNLEASH_ADMIN_TOKEN (an Unleash admin API token)"),
    );
    await expect(runExecutor("FLAG_DISABLE", config({ flag: undefined }), makeCtx({ UNLEASH_ADMIN_TOKEN: TOKEN }).ctx)).rejects.toThrow(
      "flag-disable step needs config.flag (the feature flag to turn off)",
    );
    await expect(runExecutor("FLAG_DISABLE", config({ tokenEnv: TOKEN }), makeCtx({}).ctx)).rejects.toThrow(
      /config\.tokenEnv: must be the NAME/,
    );
    expect(requests).toEqual([]);
  });
});
