// The Alertmanager webhook receiver (POST /api/v1/integrations/alertmanager): authenticates the
// integration's token, accepts only webhook format version 4, maps each alert to a service by the
// integration's label and runs one receiveAlertChange per alert (lib/integrations/alertmanager/mutations.ts).
import "server-only";
import { problem, zodProblem } from "@/lib/api/problem";
import { readJsonObject } from "@/lib/api/router";
import { now as clockNow } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { type AlertOutcome, receiveAlertChange } from "./alert";
import { type WebhookAlert, type WebhookAnswer, webhookSchema } from "./schemas";
import { authenticateAlertmanager } from "./tokens";

type Ignored = { fingerprint: string; status: WebhookAlert["status"]; result: "ignored" | "refused"; reason: string };

export async function receiveAlertmanagerWebhook(request: Request): Promise<Response> {
  const db = getDb();
  const now = clockNow();
  const auth = await authenticateAlertmanager(db, request.headers.get("authorization"), now);
  if (!auth.ok) return problem(401, auth.reason, {}, { "www-authenticate": 'Bearer realm="backout"' });
  const { integration } = auth;
  const read = await readJsonObject(request);
  if (read instanceof Response) {
    return read.status === 422 ? problem(400, "An Alertmanager webhook payload is a JSON object (format version 4).") : read;
  }
  const parsed = webhookSchema.safeParse(read);
  if (!parsed.success) return zodProblem(400, "This is not an Alertmanager webhook payload of format version 4", parsed.error);
  const payload = parsed.data;

  const label = integration.serviceLabel;
  const slugOf = (labels: Record<string, string>) => labels[label] ?? payload.commonLabels[label];
  const slugs = [...new Set(payload.alerts.map((a) => slugOf(a.labels)).filter((s): s is string => Boolean(s)))];
  const services = new Map(
    (await db.service.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } })).map((s) => [s.slug, s.id]),
  );

  const results: (AlertOutcome | Ignored)[] = [];
  for (const alert of payload.alerts) {
    const base = { fingerprint: alert.fingerprint, status: alert.status };
    const slug = slugOf(alert.labels);
    const serviceId = slug ? services.get(slug) : undefined;
    if (!slug) {
      results.push({ ...base, result: "ignored", reason: `The alert has no "${label}" label to name its service.` });
      continue;
    }
    if (!serviceId) {
      results.push({ ...base, result: "ignored", reason: `No service has the slug "${slug}" (label ${label}).` });
      continue;
    }
    const outcome = await receiveAlertChange.run(
      integration.account,
      { integrationId: integration.id, serviceId, alert, receiver: payload.receiver, groupKey: payload.groupKey },
      { via: { source: "ALERTMANAGER" }, now },
    );
    results.push(outcome.ok ? outcome.value : { ...base, result: "refused", reason: outcome.message });
  }
  const answer: WebhookAnswer = { integration: integration.name, alerts: results };
  return Response.json(answer, { headers: { "cache-control": "no-store" } });
}
