// The admin's token form and its changes (lib/api/mutations.ts) share these.
import { z } from "zod";
import { ApiTokenKind, ApiTokenScope, Role } from "@/generated/prisma/enums";

export const TOKEN_EXPIRY_CHOICES = [
  { days: 0, label: "Never" },
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
] as const;

export const SCOPE_LABELS: Record<ApiTokenScope, string> = {
  READ: "Read — reads only",
  WRITE: "Write — reads and changes",
};

export const createApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, "Name the token (what uses it).").max(100, "Keep the name under 100 characters."),
    kind: z.enum(ApiTokenKind, { error: "Choose personal or service." }),
    scope: z.enum(ApiTokenScope, { error: "Choose read or write." }),
    /** Personal: the person the token acts as. */
    userId: z.string().trim().optional(),
    /** Service: the role its service account has. */
    role: z.enum(Role, { error: "Choose the service token's role." }).optional(),
    expiresInDays: z.coerce
      .number()
      .int()
      .refine((d) => TOKEN_EXPIRY_CHOICES.some((c) => c.days === d), "Choose when the token expires.")
      .default(90),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "PERSONAL" && !v.userId)
      ctx.addIssue({ code: "custom", path: ["userId"], message: "Choose the person the token acts as." });
    if (v.kind === "SERVICE" && !v.role) ctx.addIssue({ code: "custom", path: ["role"], message: "Choose the service token's role." });
  });
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export const revokeApiTokenSchema = z.object({ tokenId: z.string().min(1) });
