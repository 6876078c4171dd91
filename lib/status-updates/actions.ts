"use server";

import { changeAction } from "@/lib/safe-action";
import { postStatusUpdateChange } from "./mutations";

export const postStatusUpdateAction = changeAction(postStatusUpdateChange, {
  revalidate: [["/incidents/[number]", "page"]],
  result: (value) => ({ ok: true as const, sequence: value.sequence }),
});
