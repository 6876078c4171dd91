// The bodies a destination receives, rendered from the event's frozen facts. Pure: no I/O.
import { createHmac } from "node:crypto";
import type { NotificationEvent, NotificationFormat } from "@/generated/prisma/enums";
import { EVENT_LABELS, EVENT_NAMES } from "./events";

/** What happened, frozen into the delivery when the change committed. */
export type NotificationFacts = {
  event: NotificationEvent;
  /** ISO 8601, UTC. */
  at: string;
  /** What happened, in the timeline's words. */
  message: string;
  actor: string | null;
  incident: {
    id: string;
    number: number;
    title: string;
    severity: string;
    status: string;
    service: string;
    badVersion: string;
    previousVersion: string;
  };
  /** The incident's page, when BACKOUT_PUBLIC_URL (or AUTH_URL) says where Backout is served. */
  url: string | null;
};

export const SIGNATURE_HEADER = "X-Backout-Signature";
export const TIMESTAMP_HEADER = "X-Backout-Timestamp";

/** Slack's limits (see slack-schema.ts): a header's text, a section's text and fields, a button's words. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Slack reads &, < and > as markup (`<!channel>` would ping everyone): people's words are escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function reference(f: NotificationFacts): string {
  return `INC-${f.incident.number}`;
}

/**
 * A Slack incoming-webhook message (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
 * Block Kit blocks with the incident, what happened and a link, and `text` as the notification's
 * fallback. Every text is cut to Slack's limits, so a long title never turns the message into a 400.
 */
export function slackMessage(f: NotificationFacts) {
  const label = EVENT_LABELS[f.event];
  const when = `${f.at.slice(0, 16).replace("T", " ")} UTC`;
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${label} · ${reference(f)}`, HEADER_MAX), emoji: false } },
    {
      type: "section",
      text: { type: "mrkdwn", text: clip(`*${escapeMrkdwn(f.incident.title)}*\n${escapeMrkdwn(f.message)}`, SECTION_MAX) },
      fields: [
        { type: "mrkdwn", text: clip(`*Service*\n${escapeMrkdwn(f.incident.service)}`, FIELD_MAX) },
        { type: "mrkdwn", text: `*Severity*\n${f.incident.severity}` },
        {
          type: "mrkdwn",
          text: clip(`*Versions*\n${escapeMrkdwn(f.incident.badVersion)} → ${escapeMrkdwn(f.incident.previousVersion)}`, FIELD_MAX),
        },
        { type: "mrkdwn", text: `*Status*\n${f.incident.status.toLowerCase().replace(/_/g, " ")}` },
      ],
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: clip(`${f.actor ? `By ${escapeMrkdwn(f.actor)} · ` : ""}${when} · Backout`, SECTION_MAX) }],
    },
  ];
  if (f.url) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: `Open ${reference(f)}` }, url: f.url, action_id: "open-incident" }],
    });
  }
  const text = clip(
    `${label}: ${reference(f)} ${escapeMrkdwn(f.incident.title)} (${escapeMrkdwn(f.incident.service)}) — ${escapeMrkdwn(f.message)}${
      f.url ? ` ${f.url}` : ""
    }`,
    SECTION_MAX,
  );
  return { text, blocks };
}

/** The generic JSON body of a SIGNED_JSON destination. `id` is the delivery's: the same on every attempt, for de-duplication. */
export function signedJsonBody(deliveryId: string, f: NotificationFacts) {
  return {
    id: deliveryId,
    event: EVENT_NAMES[f.event],
    occurredAt: f.at,
    message: f.message,
    actor: f.actor,
    incident: { ...f.incident, reference: reference(f), url: f.url },
  };
}

/** `v1=` and the hex HMAC-SHA256 of `${timestamp}.${rawBody}` under the destination's secret. */
export function signature(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/** The request of one attempt: body and headers (timestamp in whole seconds since the epoch). */
export function notificationRequest(
  format: NotificationFormat,
  deliveryId: string,
  facts: NotificationFacts,
  secret: string | null,
  nowMs: number,
): { body: string; headers: Record<string, string> } {
  if (format === "SLACK") return { body: JSON.stringify(slackMessage(facts)), headers: { "content-type": "application/json" } };
  if (!secret) throw new Error("A signed JSON destination has no secret.");
  const body = JSON.stringify(signedJsonBody(deliveryId, facts));
  const timestamp = Math.floor(nowMs / 1000);
  return {
    body,
    headers: {
      "content-type": "application/json",
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signature(secret, timestamp, body),
      "X-Backout-Event": EVENT_NAMES[facts.event],
      "X-Backout-Delivery": deliveryId,
    },
  };
}

/** Exponential backoff: base, 2×base, 4×base, … capped, after the attempt numbered `attempts` (1-based). */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
