// The plan's hash: what a proposal is approved for and a run is started against. Apart from
// plans.ts because it needs node:crypto: plans.ts is imported by client components (the proposal
// form, the decision section), and a browser bundle of node:crypto is ~400 KB of polyfill.
import { createHash } from "node:crypto";
import type { Plan } from "./plans";

/** Canonical JSON (sorted keys) so that the same plan always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function planHash(plan: Plan): string {
  return createHash("sha256").update(canonical(plan)).digest("hex");
}
