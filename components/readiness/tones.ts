// Colours of readiness results and statuses. A plain module (not "use client"), so server and
// client components both get the values rather than a client reference.
import type { Tone } from "@/components/ui/badge";
import type { ReadinessResult, ReadinessStatus } from "@/lib/readiness/types";

export const RESULT: Record<ReadinessResult, { label: string; tone: Tone }> = {
  pass: { label: "Passed", tone: "ok" },
  fail: { label: "Failed", tone: "danger" },
  not_configured: { label: "Not configured", tone: "warn" },
};

export const STATUS_TONE: Record<ReadinessStatus, Tone> = { green: "ok", amber: "warn", red: "danger", unknown: "neutral" };
