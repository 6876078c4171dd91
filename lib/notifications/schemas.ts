// The admin's destination form and the delivery actions; shared by the forms and the changes.
import { z } from "zod";
import { NotificationEvent, NotificationFormat } from "@/generated/prisma/enums";

export const FORMAT_LABELS: Record<NotificationFormat, string> = {
  SLACK: "Slack-compatible incoming webhook",
  SIGNED_JSON: "Signed JSON (HMAC-SHA256)",
};

const destinationUrl = z
  .string()
  .trim()
  .min(1, "Paste the receiver's URL.")
  .max(2000, "Keep the URL under 2,000 characters.")
  .refine((s) => {
    try {
      const url = new URL(s);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "Only http:// and https:// URLs are accepted.");

export const createDestinationSchema = z.object({
  name: z.string().trim().min(1, "Name the destination, e.g. “#incidents”.").max(100, "Keep the name under 100 characters."),
  format: z.enum(NotificationFormat, { error: "Choose the format the receiver understands." }),
  url: destinationUrl,
  events: z
    .array(z.enum(NotificationEvent, { error: "That is not an event Backout sends." }), { error: "Choose at least one event." })
    .min(1, "Choose at least one event.")
    .max(20),
  // Empty: every service.
  serviceId: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((s) => (s ? s : null)),
});
export type CreateDestinationInput = z.input<typeof createDestinationSchema>;

export const disableDestinationSchema = z.object({ destinationId: z.string().min(1).max(64) });
export const resendDeliverySchema = z.object({ deliveryId: z.string().min(1).max(64) });
