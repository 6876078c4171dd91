import { Badge, type Tone } from "@/components/ui/badge";
import type { IncidentStatus, Severity } from "@/generated/prisma/enums";

const SEVERITY_TONE: Record<Severity, Tone> = { SEV1: "danger", SEV2: "danger", SEV3: "warn", SEV4: "neutral" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={SEVERITY_TONE[severity]}>{severity}</Badge>;
}

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  DECLARED: "Declared",
  ASSESSING: "Assessing",
  AWAITING_APPROVAL: "Awaiting approval",
  APPROVED: "Approved",
  ROLLING_BACK: "Rolling back",
  VERIFYING: "Verifying",
  MONITORING: "Monitoring",
  RESOLVED: "Resolved",
};

const STATUS_TONE: Record<IncidentStatus, Tone> = {
  DECLARED: "danger",
  ASSESSING: "warn",
  AWAITING_APPROVAL: "warn",
  APPROVED: "info",
  ROLLING_BACK: "info",
  VERIFYING: "info",
  MONITORING: "ok",
  RESOLVED: "ok",
};

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABELS[status]}</Badge>;
}
