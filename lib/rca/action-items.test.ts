import { describe, expect, it } from "vitest";
import { groupActionItems } from "./action-items";

const from = new Date("2026-12-01T10:00:00Z");
const day = (d: number) => new Date(from.getTime() + d * 86_400_000);
const item = (title: string, extra: Record<string, unknown>) => ({
  title,
  dueDate: null as Date | null,
  status: "NOT_STARTED",
  priority: "HIGH",
  owner: { name: "Remy" },
  ...extra,
});

describe("groupActionItems", () => {
  it("groups by the item's own horizon when the model has one", () => {
    const { groupedBy, groups } = groupActionItems(
      [item("a", { horizon: "LONG_TERM", dueDate: day(2) }), item("b", { horizon: "IMMEDIATE" }), item("c", { horizon: "SHORT_TERM" })],
      from,
    );
    expect(groupedBy).toBe("horizon");
    expect(Object.fromEntries(groups.map((g) => [g.key, g.items.map((i) => i.title)]))).toEqual({
      IMMEDIATE: ["b"],
      SHORT_TERM: ["c"],
      LONG_TERM: ["a"],
    });
    expect(groups[0].items[0]).toMatchObject({ owner: "Remy", status: "not started", dueDate: null });
  });

  it("falls back to the due date counted from the declaration: 0–7 days, 1–4 weeks, 1–3 months, later or none", () => {
    const { groupedBy, groups } = groupActionItems(
      [
        item("d7", { dueDate: day(7) }),
        item("d8", { dueDate: day(8) }),
        item("d28", { dueDate: day(28) }),
        item("d60", { dueDate: day(60) }),
        item("none", {}),
        item("d200", { dueDate: day(200) }),
      ],
      from,
    );
    expect(groupedBy).toBe("due date");
    expect(groups.map((g) => [g.key, g.items.map((i) => i.title)])).toEqual([
      ["IMMEDIATE", ["d7"]],
      ["SHORT_TERM", ["d8", "d28"]],
      ["LONG_TERM", ["d60"]],
      ["LATER", ["none", "d200"]],
    ]);
  });
});
