// Share links' forms and changes share these schemas (lib/share-links/mutations.ts).
import { z } from "zod";

export const SHARE_TOKEN_PREFIX = "bs_";
/** What a share token looks like (lib/security/tokens.ts): anything else is refused before a lookup. */
export const SHARE_TOKEN_PATTERN = /^bs_[A-Za-z0-9_-]{43}$/;

export const EXPIRY_CHOICES = [
  { days: 1, label: "1 day" },
  { days: 3, label: "3 days" },
  { days: 7, label: "7 days" },
  { days: 14, label: "14 days" },
  { days: 30, label: "30 days" },
] as const;

export const DEFAULT_EXPIRY_DAYS = 7;

export const createShareLinkSchema = z.object({
  incidentId: z.string().min(1),
  expiresInDays: z.coerce
    .number()
    .int()
    .default(DEFAULT_EXPIRY_DAYS)
    .refine((d) => EXPIRY_CHOICES.some((c) => c.days === d), "Choose how long the link works."),
  /** Show people's names (timeline, status update author): off unless the creator opts in. */
  showNames: z.boolean().default(false),
});

export const revokeShareLinkSchema = z.object({ shareLinkId: z.string().min(1) });

export type CreateShareLinkInput = z.input<typeof createShareLinkSchema>;
