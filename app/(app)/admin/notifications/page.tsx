import type { Metadata } from "next";
import Link from "next/link";
import { NotificationDestinationForm } from "@/components/admin/notification-destination-form";
import { DisableDestination, SendAgain } from "@/components/admin/notification-row-actions";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import type { DeliveryStatus } from "@/generated/prisma/enums";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { EVENT_LABELS } from "@/lib/notifications/events";
import { listDeliveries, listDestinations } from "@/lib/notifications/queries";
import { FORMAT_LABELS } from "@/lib/notifications/schemas";
import { VERIFY_SNIPPET } from "@/lib/notifications/verify-snippet";
import { listServices } from "@/lib/services/queries";

export const metadata: Metadata = { title: "Notifications" };

const STATUS_TONES: Record<DeliveryStatus, Tone> = { PENDING: "info", RETRYING: "warn", SENT: "ok", FAILED: "danger" };
const STATUS_WORDS: Record<DeliveryStatus, string> = { PENDING: "waiting", RETRYING: "retrying", SENT: "sent", FAILED: "failed" };

export default async function NotificationsPage() {
  const me = await requireUser();
  if (!can(me.role, "user:manage")) {
    return (
      <Card title="Notifications">
        <p className="text-sm">Only admins configure notifications and read their deliveries.</p>
      </Card>
    );
  }
  const [destinations, deliveries, services] = await Promise.all([listDestinations(), listDeliveries(50), listServices()]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Notifications</h1>
        <p className="flex flex-wrap gap-3 text-sm">
          <Link href="/admin" className="underline">
            Users and audit log
          </Link>
          <Link href="/admin/integrations" className="underline">
            Integrations
          </Link>
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Card title={`Destinations (${destinations.length})`}>
            <p className="mb-3 text-sm text-muted">
              Each chosen event is queued with the change that causes it and sent by a background job, oldest first per destination, retried
              with backoff. A receiver that is slow or down never delays anyone.
            </p>
            {destinations.length === 0 ? (
              <p className="text-sm text-muted">No destinations yet.</p>
            ) : (
              <ul className="-my-2 divide-y divide-line">
                {destinations.map((d) => (
                  <li key={d.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid={`destination-${d.name}`}>
                    <div className="min-w-48 flex-1 space-y-0.5">
                      <p className="text-sm font-medium">
                        {d.name} {d.disabledAt && <Badge tone="danger">disabled</Badge>}
                      </p>
                      <p className="text-xs text-muted">
                        {FORMAT_LABELS[d.format]} · <span className="font-mono">{d.urlHost}</span> ·{" "}
                        {d.service ? d.service.name : "every service"}
                      </p>
                      <p className="text-xs text-muted">{d.events.map((e) => EVENT_LABELS[e]).join(" · ")}</p>
                      <p className="text-xs text-muted">
                        added <LocalTime iso={d.createdAt.toISOString()} />
                        {d.createdBy ? ` by ${d.createdBy.name}` : ""}
                      </p>
                    </div>
                    {!d.disabledAt && <DisableDestination destination={{ id: d.id, name: d.name }} />}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Deliveries (latest 50)">
            {deliveries.length === 0 ? (
              <p className="text-sm text-muted">Nothing sent yet.</p>
            ) : (
              <ul className="-my-2 divide-y divide-line">
                {deliveries.map((d) => {
                  const label = `${EVENT_LABELS[d.event]} to ${d.destination.name}`;
                  return (
                    <li key={d.id} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2.5" data-testid={`delivery-${d.id}`}>
                      <div className="min-w-0 flex-1 basis-64 space-y-0.5">
                        <p className="text-sm">
                          <Badge tone={STATUS_TONES[d.status]}>{STATUS_WORDS[d.status]}</Badge>{" "}
                          <span className="font-medium">{EVENT_LABELS[d.event]}</span> → {d.destination.name}
                        </p>
                        <p className="text-xs text-muted">
                          {d.incident ? (
                            <Link href={`/incidents/${d.incident.number}`} className="underline">
                              INC-{d.incident.number} {d.incident.title}
                            </Link>
                          ) : (
                            "no incident"
                          )}{" "}
                          · queued <LocalTime iso={d.createdAt.toISOString()} /> · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                          {d.status === "RETRYING" && (
                            <>
                              {" "}
                              · next <LocalTime iso={d.nextAttemptAt.toISOString()} />
                            </>
                          )}
                          {d.sentAt && (
                            <>
                              {" "}
                              · sent <LocalTime iso={d.sentAt.toISOString()} />
                            </>
                          )}
                        </p>
                        {d.lastAnswer && <p className="break-words font-mono text-xs text-muted">{d.lastAnswer}</p>}
                      </div>
                      {(d.status === "FAILED" || d.status === "SENT") && <SendAgain delivery={{ id: d.id, label }} />}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        </div>
        <Card title="Add a destination">
          <NotificationDestinationForm services={services.map((s) => ({ id: s.id, name: s.name }))} />
        </Card>
      </div>
      <Card title="Verifying signed JSON">
        <p className="mb-2 text-sm text-muted">
          A signed JSON body carries <code className="font-mono">X-Backout-Timestamp</code> and{" "}
          <code className="font-mono">X-Backout-Signature: v1=&lt;hex&gt;</code>, the HMAC-SHA256 of{" "}
          <code className="font-mono">timestamp.rawBody</code> under the destination's secret. Check it on the raw body and refuse
          timestamps older than 5 minutes; drop duplicates by <code className="font-mono">X-Backout-Delivery</code>.
        </p>
        <pre className="max-h-80 overflow-auto rounded-md bg-surface-2 p-3 font-mono text-xs leading-relaxed">{VERIFY_SNIPPET}</pre>
      </Card>
    </div>
  );
}
