"use server";

import { changeAction } from "@/lib/safe-action";
import { declareIncidentChange, updateImpactChange } from "./mutations";
import { resolveIncidentChange } from "./resolve";

export const declareIncidentAction = changeAction(declareIncidentChange, {
  revalidate: [["/incidents"]],
  result: (incident) => ({ id: incident.id, number: incident.number }),
});

export const updateImpactAction = changeAction(updateImpactChange, { revalidate: [["/incidents/[number]", "page"]] });

export const resolveIncidentAction = changeAction(resolveIncidentChange, { revalidate: [["/incidents", "layout"]] });
