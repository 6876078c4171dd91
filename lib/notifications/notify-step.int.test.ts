// The runbook's notify step posting to a configured destination by name (instead of a webhook URL
// from the environment): the destination's format and signature apply, its URL never shows.
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { EXECUTORS } from "@/lib/rollback/executors";
import type { ExecutionContext } from "@/lib/rollback/executors/types";
import { makeUser } from "@/lib/testing/factories";
import { closeServer, HOST, listen } from "@/lib/testing/prometheus-harness";
import { signature } from "./format";
import { createDestinationChange } from "./mutations";

const made: string[] = [];
afterAll(async () => {
  await getDb().notificationDestination.updateMany({ where: { id: { in: made } }, data: { disabledAt: new Date() } });
});

function ctx(): ExecutionContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    signal: new AbortController().signal,
    log: (_stream, line) => {
      lines.push(line);
    },
    env: {},
    run: { id: "run-7", incidentTitle: "Checkout fails", serviceName: "checkout" },
    workDir: "/tmp",
    previous: {},
    lines,
  };
}

describe("notify step with a destination", () => {
  it("signs its body for a signed JSON destination and posts { text } to a Slack one, never showing the URL", async () => {
    const admin = await makeUser("ADMIN");
    const received: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ url: req.url ?? "", headers: req.headers, body });
        res.end("ok");
      });
    });
    const port = await listen(server);
    try {
      const tag = Math.random().toString(36).slice(2, 8);
      const signed = await createDestinationChange.runOrThrow(admin, {
        name: `step signed ${tag}`,
        format: "SIGNED_JSON",
        url: `http://${HOST}:${port}/signed/hidden-path-1`,
        events: ["INCIDENT_RESOLVED"],
      });
      const slack = await createDestinationChange.runOrThrow(admin, {
        name: `step slack ${tag}`,
        format: "SLACK",
        url: `http://${HOST}:${port}/slack/hidden-path-2`,
        events: ["INCIDENT_RESOLVED"],
      });
      made.push(signed.id, slack.id);

      const c1 = ctx();
      const r1 = await EXECUTORS.NOTIFY({ destination: `step signed ${tag}`, text: "Rolled back {{service.name}}" }, c1);
      expect(r1).toMatchObject({ ok: true, httpStatus: 200 });
      const first = received[0];
      if (!first) throw new Error("nothing received");
      const ts = Number(first.headers["x-backout-timestamp"]);
      expect(first.headers["x-backout-signature"]).toBe(signature(signed.secret as string, ts, first.body));
      expect(JSON.parse(first.body)).toMatchObject({ event: "runbook.notify", message: "Rolled back checkout", run: { id: "run-7" } });

      const c2 = ctx();
      const r2 = await EXECUTORS.NOTIFY({ destination: `step slack ${tag}` }, c2);
      expect(r2.ok).toBe(true);
      expect(received[1]?.url).toBe("/slack/hidden-path-2");
      expect(JSON.parse(received[1]?.body ?? "{}")).toEqual({ text: "Rollback of checkout for the incident “Checkout fails” (run run-7)" });
      for (const text of [JSON.stringify(r1), JSON.stringify(r2), ...c1.lines, ...c2.lines]) {
        expect(text).not.toMatch(/hidden-path|bo_whsec_/);
      }
      expect(c2.lines.join("\n")).toContain(`${HOST}:${port}`);
    } finally {
      await closeServer(server);
    }
  });

  it("says which destination is missing, and refuses a config naming both a variable and a destination", async () => {
    await expect(EXECUTORS.NOTIFY({ destination: "no such destination" }, ctx())).rejects.toThrow(
      "notify: there is no notification destination named “no such destination” (Admin → Notifications)",
    );
    await expect(EXECUTORS.NOTIFY({ destination: "x", webhookUrlEnv: "HOOK" }, ctx())).rejects.toThrow(
      "use either config.webhookUrlEnv or config.destination, not both",
    );
    await expect(EXECUTORS.NOTIFY({}, ctx())).rejects.toThrow(/^notify step needs config\.webhookUrlEnv .*or config\.destination/);
  });
});
