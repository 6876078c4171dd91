import { describe, expect, it } from "vitest";
import type { ExecutorKind } from "@/generated/prisma/enums";
import { demoFlagRunbookSteps, demoRunbookSteps } from "@/prisma/seed";
import { configToForm, emptyForm, formToConfig, keyFromName } from "./step-form";

describe("the editor's step form", () => {
  it("round-trips the demo runbook's settings unchanged", () => {
    for (const step of [...demoRunbookSteps("http://127.0.0.1:4100"), ...demoFlagRunbookSteps("http://127.0.0.1:4103")]) {
      const executor = step.executor as ExecutorKind;
      expect(formToConfig(executor, configToForm(executor, step.config)), step.key).toEqual(step.config);
    }
  });

  it("round-trips every field kind", () => {
    const configs: [ExecutorKind, Record<string, unknown>][] = [
      ["HTTP", { method: "POST", url: "http://x", expectedStatus: [200, 204], timeoutMs: 5000, body: "{}\n" }],
      ["COMMAND", { argv: ["bash", "-c", "echo hi"], env: { A: "1" }, secretEnv: { T: "TOKEN" }, cwd: "/srv" }],
      ["POSTGRES", { operation: "integrity", databaseUrlEnv: "DB", tables: ["a", "b"], rowCounts: [{ table: "a", min: 3 }] }],
      ["HEALTH_CHECK", { urls: ["http://a", { url: "http://b", expectedStatus: 204 }], retries: 0, degradedLatencyMs: 800 }],
      ["NOTIFY", { webhookUrlEnv: "HOOK", report: true, text: "{{service.name}}" }],
      ["VERIFY_METRICS", { maxErrorRate: 0.02, withinBaselineTolerance: 0.5 }],
    ];
    for (const [executor, config] of configs) expect(formToConfig(executor, configToForm(executor, config))).toEqual(config);
  });

  it("leaves empty fields out (defaults apply), keeps text in a number field for the server to refuse, drops hidden fields", () => {
    expect(formToConfig("WAIT", { seconds: "" })).toEqual({});
    expect(formToConfig("WAIT", { seconds: "ten" })).toEqual({ seconds: "ten" });
    expect(formToConfig("COMMAND", emptyForm("COMMAND"))).toEqual({ argv: [] });
    const form = { ...emptyForm("POSTGRES"), operation: "backup", databaseUrlEnv: "DB", tables: "orders" };
    expect(formToConfig("POSTGRES", form)).toEqual({ operation: "backup", databaseUrlEnv: "DB" });
  });

  it("derives a step ID from its name", () => {
    expect(keyFromName("Switch traffic to blue (v2.4.0)")).toBe("switch-traffic-to-blue-v2-4-0");
    expect(keyFromName("  Émergency backup! ")).toBe("emergency-backup");
  });
});
