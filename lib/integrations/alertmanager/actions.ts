"use server";

import { changeAction } from "@/lib/safe-action";
import { createIntegrationChange, revokeIntegrationChange } from "./mutations";

const revalidate = [["/admin/integrations"]] as const;

/** The token comes back once, for the page to show; it is stored only as its hash. */
export const createAlertmanagerIntegrationAction = changeAction(createIntegrationChange, {
  revalidate,
  result: ({ id, token, prefix }) => ({ id, token, prefix }),
});

export const revokeAlertmanagerIntegrationAction = changeAction(revokeIntegrationChange, { revalidate });
