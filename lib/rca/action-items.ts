// The RCA's action items by horizon — immediate (0–7 days), short-term (1–4 weeks), long-term
// (1–3 months) — from the item's own horizon where the model has one, else from its due date
// counted from when the incident was declared. Pure.
import type { RcaActionGroup, RcaActionItem } from "./content";

const DAY = 86_400_000;
const GROUPS: [RcaActionGroup["key"], string][] = [
  ["IMMEDIATE", "Immediate (0–7 days)"],
  ["SHORT_TERM", "Short-term (1–4 weeks)"],
  ["LONG_TERM", "Long-term (1–3 months)"],
  ["LATER", "Later or no date"],
];

type ItemRow = {
  title: string;
  dueDate: Date | null;
  status: string;
  priority: string;
  owner: { name: string } | null;
};

function horizonOf(item: ItemRow, from: Date): RcaActionGroup["key"] {
  const own = (item as { horizon?: unknown }).horizon;
  if (typeof own === "string") {
    if (/IMMEDIATE/i.test(own)) return "IMMEDIATE";
    if (/SHORT/i.test(own)) return "SHORT_TERM";
    if (/LONG/i.test(own)) return "LONG_TERM";
  }
  if (!item.dueDate) return "LATER";
  const days = (item.dueDate.getTime() - from.getTime()) / DAY;
  return days <= 7 ? "IMMEDIATE" : days <= 28 ? "SHORT_TERM" : days <= 92 ? "LONG_TERM" : "LATER";
}

export function groupActionItems(items: readonly ItemRow[], from: Date): { groupedBy: "horizon" | "due date"; groups: RcaActionGroup[] } {
  const byHorizon = items.some((i) => typeof (i as { horizon?: unknown }).horizon === "string");
  const groups = GROUPS.map(([key, label]) => ({ key, label, items: [] as RcaActionItem[] }));
  for (const item of items) {
    groups
      .find((g) => g.key === horizonOf(item, from))
      ?.items.push({
        title: item.title,
        owner: item.owner?.name ?? null,
        dueDate: item.dueDate?.toISOString() ?? null,
        status: item.status.replace(/_/g, " ").toLowerCase(),
        priority: item.priority,
      });
  }
  return { groupedBy: byHorizon ? "horizon" : "due date", groups: groups.filter((g) => g.key !== "LATER" || g.items.length > 0) };
}
