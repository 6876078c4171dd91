// The bodies, pure: Slack's documented limits hold for any incident (slack-schema.ts), people's words
// are escaped, and the signature is the HMAC the README documents.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_EVENTS } from "./events";
import { backoffMs, type NotificationFacts, notificationRequest, slackMessage } from "./format";
import { slackIncomingWebhookSchema } from "./slack-schema";

const facts = (over: Partial<NotificationFacts> = {}, title = "Checkout fails after v2.5.1"): NotificationFacts => ({
  event: "INCIDENT_DECLARED",
  at: "2026-12-06T01:00:00.000Z",
  message: "Incident declared by Dana",
  actor: "Dana Ops",
  incident: {
    id: "inc1",
    number: 12,
    title,
    severity: "SEV2",
    status: "DECLARED",
    service: "checkout",
    badVersion: "v2.5.1",
    previousVersion: "v2.5.0",
  },
  url: "https://backout.example.com/incidents/12",
  ...over,
});

describe("slackMessage", () => {
  it("keeps to Slack's documented schema for every event, with and without a link", () => {
    for (const event of NOTIFICATION_EVENTS) {
      for (const url of ["https://backout.example.com/incidents/12", null]) {
        const parsed = slackIncomingWebhookSchema.safeParse(slackMessage(facts({ event, url })));
        expect(parsed.error?.issues ?? [], `${event} ${url}`).toEqual([]);
      }
    }
  });

  it("cuts long words to Slack's limits instead of sending a message Slack refuses", () => {
    const long = "x".repeat(10_000);
    const m = slackMessage(facts({ message: long, actor: long }, `${"T".repeat(400)} <b>`));
    expect(slackIncomingWebhookSchema.safeParse(m).error?.issues ?? []).toEqual([]);
    const header = m.blocks[0] as { text: { text: string } };
    expect([...header.text.text].length).toBeLessThanOrEqual(150);
  });

  it("escapes &, < and > so a title cannot ping a channel or forge a link", () => {
    const m = slackMessage(facts({ message: "see <https://evil.example|your bank> & <!here>" }, "Broken <!channel>"));
    const json = JSON.stringify(m);
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<!here>");
    expect(json).toContain("&lt;https://evil.example|your bank&gt; &amp; &lt;!here&gt;");
  });

  it("is refused by the schema when a limit is broken (the schema can fail)", () => {
    const m = slackMessage(facts());
    const broken = { ...m, blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] };
    expect(slackIncomingWebhookSchema.safeParse(broken).success).toBe(false);
    expect(slackIncomingWebhookSchema.safeParse({ blocks: m.blocks }).success).toBe(false);
  });
});

describe("signed JSON", () => {
  it('signs "timestamp.body" with HMAC-SHA256 and sends the timestamp in seconds', () => {
    const r = notificationRequest("SIGNED_JSON", "del1", facts(), "s3cret", 1_765_000_000_123);
    expect(r.headers["X-Backout-Timestamp"]).toBe("1765000000");
    const expected = createHmac("sha256", "s3cret").update(`1765000000.${r.body}`).digest("hex");
    expect(r.headers["X-Backout-Signature"]).toBe(`v1=${expected}`);
    expect(JSON.parse(r.body)).toMatchObject({ id: "del1", event: "incident.declared", incident: { reference: "INC-12" } });
  });
});

describe("backoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 5_000, 30_000))).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
  });
});
