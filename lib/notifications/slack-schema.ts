// Slack's documented constraints on an incoming-webhook message, as a zod schema the tests hold our
// Slack bodies to. Sources:
//   https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks (text, blocks)
//   https://docs.slack.dev/reference/block-kit/blocks (≤ 50 blocks; header: plain_text ≤ 150;
//     section: text ≤ 3000, fields ≤ 10 of ≤ 2000 each; context: ≤ 10 elements; actions: ≤ 25
//     elements; block_id ≤ 255)
//   https://docs.slack.dev/reference/block-kit/composition-objects/text-object (type plain_text |
//     mrkdwn, text 1…3000; emoji only on plain_text)
//   https://docs.slack.dev/reference/block-kit/block-elements/button-element (text plain_text ≤ 75,
//     url ≤ 3000, action_id ≤ 255)
import { z } from "zod";

const length = (s: string) => [...s].length;
const text = (max: number) => z.string().refine((s) => length(s) >= 1 && length(s) <= max, `1 to ${max} characters`);

const plainText = (max = 3000) => z.strictObject({ type: z.literal("plain_text"), text: text(max), emoji: z.boolean().optional() });
const mrkdwn = (max = 3000) => z.strictObject({ type: z.literal("mrkdwn"), text: text(max), verbatim: z.boolean().optional() });
const blockId = z.string().max(255).optional();

const header = z.strictObject({ type: z.literal("header"), text: plainText(150), block_id: blockId });
const section = z
  .strictObject({
    type: z.literal("section"),
    text: z.union([plainText(3000), mrkdwn(3000)]).optional(),
    fields: z
      .array(z.union([plainText(2000), mrkdwn(2000)]))
      .max(10)
      .optional(),
    block_id: blockId,
  })
  .refine((s) => s.text !== undefined || (s.fields?.length ?? 0) > 0, "A section needs text or fields.");
const context = z.strictObject({
  type: z.literal("context"),
  elements: z
    .array(z.union([plainText(), mrkdwn()]))
    .min(1)
    .max(10),
  block_id: blockId,
});
const button = z.strictObject({
  type: z.literal("button"),
  text: plainText(75),
  action_id: z.string().max(255).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(3000)
    .optional(),
  value: z.string().max(2000).optional(),
  style: z.enum(["primary", "danger"]).optional(),
});
const actions = z.strictObject({ type: z.literal("actions"), elements: z.array(button).min(1).max(25), block_id: blockId });
const divider = z.strictObject({ type: z.literal("divider"), block_id: blockId });

export const slackIncomingWebhookSchema = z.strictObject({
  // The notification's fallback text; with blocks, Slack shows it where blocks cannot be (notifications).
  text: text(40_000),
  blocks: z.array(z.union([header, section, context, actions, divider])).max(50),
});
