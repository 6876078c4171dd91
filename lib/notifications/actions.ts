"use server";

import { changeAction } from "@/lib/safe-action";
import { createDestinationChange, disableDestinationChange, resendDeliveryChange } from "./mutations";

const revalidate = [["/admin/notifications"]] as const;

/** A signed JSON destination's secret comes back once, for the page to show. */
export const createNotificationDestinationAction = changeAction(createDestinationChange, {
  revalidate,
  result: ({ id, secret }) => ({ id, secret }),
});

export const disableNotificationDestinationAction = changeAction(disableDestinationChange, { revalidate });

export const resendNotificationDeliveryAction = changeAction(resendDeliveryChange, { revalidate });
