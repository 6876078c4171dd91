import { SEVERITIES, SEVERITY_HINTS } from "@/lib/incidents/schemas";

/** The severities as a select's options, each with what it means. */
export function SeverityOptions() {
  return SEVERITIES.map((s) => (
    <option key={s} value={s}>
      {SEVERITY_HINTS[s]}
    </option>
  ));
}
