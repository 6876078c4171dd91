import { describe, expect, it } from "vitest";
import {
  findStableAt,
  nextSteps,
  type RollbackSummaryContent,
  renderSummaryMarkdown,
  SUMMARY_SCHEMA_VERSION,
  type SummaryStep,
} from "./content";

const T0 = Date.parse("2026-11-26T10:00:00Z");
const at = (s: number) => T0 + s * 1000;
const limits = { maxErrorRate: 0.05, maxP99Ms: 200 };
const series = (values: number[], every = 5) => values.map((v, i) => ({ t: at(i * every), v }));

describe("findStableAt", () => {
  it("is the first sample from which both metrics stay within the thresholds for the sustain period", () => {
    // Error rate recovers at 15 s, blips at 25 s, and stays good from 30 s; p99 is fine throughout.
    const errorRate = series([0.2, 0.2, 0.1, 0.01, 0.01, 0.09, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
    const p99 = series(errorRate.map(() => 120));
    expect(findStableAt(errorRate, p99, T0, limits, 30_000)).toEqual({ stableAt: at(30), samples: 18 });
  });

  it("needs the p99 back too, and counts only samples after the switch", () => {
    const errorRate = series([0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
    const p99 = series([150, 900, 450, 180, 170, 160]);
    expect(findStableAt(errorRate, p99, at(5), limits, 10_000).stableAt).toBe(at(15));
  });

  it("holds until the data ends when the data ends early, and is null when never within", () => {
    expect(findStableAt(series([0.3, 0.01]), series([100, 100]), T0, limits).stableAt).toBe(at(5));
    expect(findStableAt(series([0.3, 0.3]), series([100, 100]), T0, limits)).toEqual({ stableAt: null, samples: 2 });
    expect(findStableAt([], [], T0, limits)).toEqual({ stableAt: null, samples: 0 });
  });
});

const step = (over: Partial<SummaryStep> & Pick<SummaryStep, "position" | "name" | "state">): SummaryStep => ({
  attempts: 1,
  destructive: false,
  changesTraffic: false,
  summary: null,
  markedDone: false,
  endedAt: null,
  ...over,
});

function content(over: Partial<Omit<RollbackSummaryContent, "nextSteps">> = {}): Omit<RollbackSummaryContent, "nextSteps"> {
  return {
    schema: SUMMARY_SCHEMA_VERSION,
    generatedAt: "2026-11-26T10:20:00.000Z",
    incident: { number: 7, title: "Checkout | errors", service: "checkout", severity: "SEV2" },
    versions: { from: "v2.5.0", to: "v2.4.0" },
    method: { strategy: "BLUE_GREEN", label: "Blue-green traffic switch", tier: "FAST", reason: "15% errors" },
    run: {
      id: "run1",
      status: "SUCCEEDED",
      startedAt: "2026-11-26T10:00:00.000Z",
      endedAt: "2026-11-26T10:04:05.000Z",
      durationMs: 245_000,
      startedBy: "Remy",
      endedBy: null,
      endReason: null,
    },
    stability: {
      thresholds: limits,
      anchor: { stepName: "Switch traffic", at: "2026-11-26T10:01:00.000Z" },
      stableAt: "2026-11-26T10:01:40.000Z",
      timeToStabilityMs: 40_000,
      note: "error rate ≤ 5%, p99 ≤ 200 ms, held 1 min",
    },
    impact: { usersAffected: 1200, supportTickets: 14, complaints: null, failedTransactions: 310 },
    metrics: {
      source: "the built-in metrics store",
      error: null,
      baselineWindow: { from: "2026-11-26T08:30:00.000Z", to: "2026-11-26T09:30:00.000Z" },
      afterWindow: { from: "2026-11-26T10:01:00.000Z", to: "2026-11-26T10:04:05.000Z" },
      rows: [
        { metric: "ERROR_RATE", label: "Error rate", baseline: 0.01, after: 0.012, change: 0.2, verdict: "no-significant-change" },
        { metric: "LATENCY_P99", label: "Latency p99", baseline: 120, after: null, change: null, verdict: "no-data" },
      ],
    },
    steps: [
      step({ position: 0, name: "Switch traffic", state: "SUCCEEDED", changesTraffic: true, summary: "answered 200" }),
      step({ position: 1, name: "Notify", state: "SKIPPED", summary: "webhook down" }),
      step({ position: 2, name: "Verify", state: "SUCCEEDED", markedDone: true, summary: "checked by hand" }),
    ],
    ...over,
  };
}

describe("nextSteps", () => {
  it("after a success: verification, stability watch, follow-ups of skipped and hand-done steps, the RCA", () => {
    const n = nextSteps(content());
    expect(n[0]).toMatch(/verification checklist/);
    expect(n).toContain("Keep watching the error rate and p99 for the next 24 h (stability).");
    expect(n).toContain('Follow up on the skipped step 2 "Notify": webhook down.');
    expect(n).toContain('Confirm step 3 "Verify", marked done by hand: checked by hand.');
    expect(n.at(-1)).toMatch(/RCA/);
  });

  it("after a failure: why the step failed, and which changes may need reverting", () => {
    const n = nextSteps(
      content({
        run: { ...content().run, status: "FAILED", endedBy: "Olga", endReason: "router unreachable" },
        steps: [
          step({ position: 0, name: "Switch traffic", state: "SUCCEEDED", changesTraffic: true }),
          step({ position: 1, name: "Verify metrics", state: "FAILED", summary: "error rate 12% > 5%" }),
          step({ position: 2, name: "Notify", state: "CANCELED" }),
        ],
      }),
    );
    expect(n[0]).toBe('Find out why step 2 "Verify metrics" failed (error rate 12% > 5%), then propose a new rollback decision.');
    expect(n[1]).toMatch(/must be reverted: step 1 "Switch traffic"/);
  });

  it("keeps the emergency backup on the list", () => {
    const n = nextSteps(
      content({ steps: [step({ position: 0, name: "Emergency backup", state: "SUCCEEDED", backupPath: "/var/backups/e.dump" })] }),
    );
    expect(n).toContain("Keep the emergency backup /var/backups/e.dump until the data is verified.");
  });
});

describe("renderSummaryMarkdown", () => {
  it("has the facts, impact, metrics table, steps and next steps, escaping table cells", () => {
    const c = content();
    const md = renderSummaryMarkdown({ ...c, nextSteps: nextSteps(c) });
    expect(md).toContain("# Rollback summary — INC-7: Checkout | errors");
    expect(md).toContain("| Version rolled back | v2.5.0 → v2.4.0 |");
    expect(md).toContain("| Method | Blue-green traffic switch (FAST) |");
    expect(md).toContain("| Duration | 4 min 05 s |");
    expect(md).toContain('| Time to stability | 40 s after "Switch traffic" (error rate ≤ 5%, p99 ≤ 200 ms, held 1 min) |');
    expect(md).toContain("- Users affected: 1,200");
    expect(md).toContain("- Complaints: not recorded");
    expect(md).toContain("| Error rate | 1% | 1.2% | +20.0% | no-significant-change |");
    expect(md).toContain("| Latency p99 | 120 ms | no data | — | no-data |");
    expect(md).toContain("2. **Notify** — skipped: webhook down");
    expect(md).toContain("3. **Verify** — done by hand: checked by hand");
    expect(md).toContain("- [ ] Record the root cause and the action items (RCA).");
  });

  it("keeps recorded text as text: a step name, a note or a reason cannot inject Markdown or HTML", () => {
    const c = content({
      incident: { number: 7, title: "<script>alert(1)</script>", service: "checkout", severity: "SEV2" },
      method: { strategy: "BLUE_GREEN", label: "Blue-green traffic switch", tier: "FAST", reason: "[click](javascript:alert(1))" },
      run: { ...content().run, endReason: "a | b\nnew row" },
      steps: [step({ position: 0, name: "**Drain** `pool`", state: "SKIPPED", summary: "<img src=x onerror=alert(1)>" })],
    });
    const md = renderSummaryMarkdown({ ...c, nextSteps: [] });
    expect(md).toContain("# Rollback summary — INC-7: \\<script>alert(1)\\</script>");
    expect(md).toContain("Decision: \\[click]\\(javascript:alert(1))");
    expect(md).toContain("| Reason given | a \\| b new row |");
    expect(md).toContain("1. **\\*\\*Drain\\*\\* \\`pool\\`** — skipped: \\<img src=x onerror=alert(1)>");
  });

  it("says when metrics were unavailable", () => {
    const c = content({ metrics: { ...content().metrics, error: "Prometheus at http://prom:9090 did not answer" } });
    expect(renderSummaryMarkdown({ ...c, nextSteps: [] })).toContain("Metrics unavailable: Prometheus at http://prom:9090 did not answer");
  });
});
