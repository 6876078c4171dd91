"use server";

import { changeAction } from "@/lib/safe-action";
import { declineRevisionChange, proposeRevisionChange, publishRevisionChange } from "./revisions";

const revalidate = [
  ["/services", "layout"],
  ["/incidents/[number]", "layout"],
] as const;

export const proposeRevisionAction = changeAction(proposeRevisionChange, {
  revalidate,
  result: (revision) => ({ ok: true as const, revisionId: revision.id }),
});

export const publishRevisionAction = changeAction(publishRevisionChange, {
  revalidate,
  result: ({ version }) => ({ ok: true as const, version }),
});

export const declineRevisionAction = changeAction(declineRevisionChange, { revalidate });
