"use server";

import { changeAction } from "@/lib/safe-action";
import { addNoteChange, starEventChange } from "./mutations";

export const addTimelineNoteAction = changeAction(addNoteChange, { revalidate: [["/incidents/[number]", "page"]] });

export const starTimelineEventAction = changeAction(starEventChange, { revalidate: [["/incidents/[number]", "page"]] });
