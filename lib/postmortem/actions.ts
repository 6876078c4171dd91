"use server";

import { changeAction } from "@/lib/safe-action";
import { generateAgendaChange } from "./mutations";
import { savePlanChange } from "./plan-mutations";

export const generateAgendaAction = changeAction(generateAgendaChange, {
  revalidate: [["/incidents/[number]", "layout"]],
  result: ({ documentId, version, meetingStart }) => ({ ok: true as const, documentId, version, meetingStart }),
});

export const savePlanAction = changeAction(savePlanChange, {
  revalidate: [["/incidents/[number]", "layout"]],
  result: ({ documentId, version }) => ({ ok: true as const, documentId, version }),
});
