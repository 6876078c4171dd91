// The control room's "what now": one sentence under the incident's title and a link to the
// section where it is done. Re-rendered with the page on every live change.
import { cn } from "@/components/ui/cn";
import type { NextStep, NextStepTarget, NextStepTone } from "@/lib/incidents/next-step";

const TONE: Record<NextStepTone, string> = {
  danger: "border-danger/50 bg-danger-soft text-danger",
  warn: "border-warn/40 bg-warn-soft text-warn",
  info: "border-info/40 bg-info-soft text-info",
  ok: "border-ok/40 bg-ok-soft text-ok",
};

const TARGET_LABEL: Record<NextStepTarget, string> = {
  evidence: "Evidence",
  decision: "Decision",
  rollback: "Rollback",
  verification: "Verification",
  resolve: "Resolve",
};

/** `linked`: the page shows the target section to this reader (a stakeholder has no Resolve section): never a link to nothing. */
export function NextStepBanner({ next, linked }: { next: NextStep; linked: boolean }) {
  return (
    <div
      className={cn("flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-lg border px-4 py-2.5 text-sm", TONE[next.tone])}
      data-testid="next-step"
    >
      <span className="text-xs font-semibold tracking-wide uppercase">Now</span>
      <span className="min-w-0 flex-1 font-medium">{next.text}</span>
      {linked && (
        <a href={`#${next.target}`} className="shrink-0 font-medium underline underline-offset-2 hover:no-underline">
          {TARGET_LABEL[next.target]} ↓
        </a>
      )}
    </div>
  );
}
