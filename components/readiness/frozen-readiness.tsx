// The readiness checks frozen into a decision at its proposal, with the time each ran.
import { LocalTime } from "@/components/ui/local-time";
import { parseFrozenReadiness } from "@/lib/readiness/types";
import { CheckList } from "./check-list";

export function FrozenReadiness({ value }: { value: unknown }) {
  const frozen = parseFrozenReadiness(value);
  if (!frozen) return null;
  return (
    <div data-testid="frozen-readiness">
      <p className="text-xs font-semibold uppercase tracking-wide text-muted">
        Readiness at the proposal (checked <LocalTime iso={frozen.checkedAt} style="time" />)
      </p>
      <div className="mt-1">
        <CheckList checks={frozen.checks} label="Frozen readiness checks" frozen />
      </div>
    </div>
  );
}
