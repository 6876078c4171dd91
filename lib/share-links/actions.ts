"use server";

import { changeAction } from "@/lib/safe-action";
import { createShareLinkChange, revokeShareLinkChange } from "./mutations";

export const createShareLinkAction = changeAction(createShareLinkChange, {
  revalidate: [["/incidents/[number]", "page"]],
  // The token goes back to its creator's browser once; the page never shows it again.
  result: (value) => ({ ok: true as const, token: value.token, expiresAt: value.expiresAt.toISOString() }),
});

export const revokeShareLinkAction = changeAction(revokeShareLinkChange, { revalidate: [["/incidents/[number]", "page"]] });
