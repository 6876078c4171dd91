import { describe, expect, it } from "vitest";
import { TimelineKind } from "@/generated/prisma/enums";
import { categoryOf, kindsOf, sourceChannel, TIMELINE_CATEGORIES } from "./kinds";

describe("timeline categories", () => {
  it("files each kind under the filter people look for", () => {
    expect(categoryOf("INCIDENT_DECLARED")).toBe("incident");
    expect(categoryOf("NOTE")).toBe("notes");
    expect(categoryOf("EVIDENCE_FROZEN")).toBe("decision");
    expect(categoryOf("DECISION_APPROVED")).toBe("decision");
    expect(categoryOf("STEP_SUCCEEDED")).toBe("rollback");
    expect(categoryOf("AUTO_RUN_STARTED")).toBe("rollback");
    expect(categoryOf("SIGNED_OFF")).toBe("verification");
    expect(categoryOf("SIGN_OFF_WAIVED")).toBe("verification");
    expect(categoryOf("DOCUMENT_UPDATED")).toBe("documents");
    expect(categoryOf("ACTION_ITEM_ADDED")).toBe("actions");
    expect(categoryOf("ACTION_ITEM_CLOSED")).toBe("actions");
  });

  it("splits every kind into exactly one category", () => {
    const all = kindsOf([...TIMELINE_CATEGORIES]);
    expect(all.sort()).toEqual(Object.values(TimelineKind).sort());
    const sum = TIMELINE_CATEGORIES.reduce((n, c) => n + kindsOf([c]).length, 0);
    expect(sum).toBe(all.length);
  });
});

describe("source channels", () => {
  it("names web, API, webhook and system", () => {
    expect(sourceChannel("USER").channel).toBe("web");
    expect(sourceChannel("API").channel).toBe("API");
    expect(sourceChannel("ALERTMANAGER")).toEqual({ channel: "webhook", detail: "Alertmanager" });
    expect(sourceChannel("EXECUTOR").channel).toBe("system");
    expect(sourceChannel("METRICS").channel).toBe("system");
  });
});
