"use server";

import { changeAction } from "@/lib/safe-action";
import { createApiTokenChange, revokeApiTokenChange } from "./mutations";

const revalidate = [["/admin/api-tokens"]] as const;

/** The token comes back once, for the page to show; it is stored only as its hash. */
export const createApiTokenAction = changeAction(createApiTokenChange, {
  revalidate,
  result: ({ id, token, prefix }) => ({ id, token, prefix }),
});

export const revokeApiTokenAction = changeAction(revokeApiTokenChange, { revalidate });
