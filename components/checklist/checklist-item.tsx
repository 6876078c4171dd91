"use client";

// One checklist item: a tick for the quick case, and an editor for status, value, test result and
// note. Every change is sent with the version shown; a stale one comes back with the current state,
// which replaces what is shown, and a message saying the change was not saved.
import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import type { ChecklistItemStatus } from "@/generated/prisma/enums";
import { updateChecklistItemAction } from "@/lib/checklist/actions";
import { STATUS_LABELS } from "@/lib/checklist/rules";
import type { ItemView } from "@/lib/checklist/view";
import { formatMetricValue, formatPercent } from "@/lib/metrics/format";

const STATUS_TONE = { PENDING: "neutral", PASSED: "ok", FAILED: "danger", NOT_APPLICABLE: "neutral" } as const;
const STATUSES: ChecklistItemStatus[] = ["PENDING", "PASSED", "FAILED", "NOT_APPLICABLE"];

type Change = { status?: ChecklistItemStatus; value?: string | null; note?: string | null; testResult?: string | null };

function metricLimit(item: ItemView): string | null {
  if (!item.metric) return null;
  const parts: string[] = [];
  if (item.absoluteMax !== null) parts.push(`under ${formatMetricValue(item.metric, item.absoluteMax)}`);
  if (item.tolerance !== null) parts.push(`within ${formatPercent(item.tolerance)} of baseline`);
  return parts.join(" and ");
}

function WhoWhen({ item }: { item: ItemView }) {
  if (item.version === 1) return null;
  return (
    <span className="text-xs text-muted" data-testid="item-changed-by">
      {item.updatedBy ? item.updatedBy.name : "automatic check"} · <LocalTime iso={item.updatedAt} style="time" />
    </span>
  );
}

export function ChecklistItem({
  item,
  editable,
  open,
  now,
  onChange,
}: {
  item: ItemView;
  /** This user may change it now. */
  editable: boolean;
  /** The checklist is neither locked nor the incident resolved (the metric check still runs). */
  open: boolean;
  now: number;
  onChange: (item: ItemView) => void;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [stale, setStale] = useState<string | null>(null);
  // The tick shows at once; the server's answer (accepted, stale or refused) then decides.
  const [ticking, setTicking] = useState<ChecklistItemStatus | null>(null);
  const update = useAction(updateChecklistItemAction);
  // A refusal about one field (the value, the note an override needs, the 24-hour lock) comes back as that field's error.
  const fieldErrors = (update.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const error = update.result.serverError ?? update.result.validationErrors?.formErrors?.[0] ?? Object.values(fieldErrors)[0]?.[0];

  const locked = item.notBefore !== null && now < new Date(item.notBefore).getTime();
  const overdue = item.dueAt !== null && item.status === "PENDING" && now > new Date(item.dueAt).getTime();
  const isMetric = item.kind === "METRIC";
  const needsValue = (item.kind === "NUMBER" || item.kind === "TEXT") && item.value === null;

  /** version: the one the person saw when they started this change (an editor keeps its own). */
  async function send(change: Change, version: number): Promise<boolean> {
    setStale(null);
    const res = await update.executeAsync({ itemId: item.id, version, ...change });
    const data = res?.data;
    if (!data) return false;
    if (data.ok) {
      onChange(data.item);
      return true;
    }
    onChange(data.current);
    setStale(data.message);
    return false;
  }

  const editVerb = isMetric ? "Override" : item.kind === "FEATURE" ? "Record test for" : needsValue ? "Enter value for" : "Edit";
  const tickDisabled = !editable || update.isPending || locked || isMetric || (needsValue && item.status !== "PASSED");
  const tickHint = locked
    ? "Opens 24 hours after the rollback"
    : isMetric
      ? "Ticks itself from the metrics; override to set it by hand"
      : needsValue
        ? "Enter the value first"
        : undefined;

  return (
    <li className="px-4 py-3" data-testid={`item-${item.key}`} aria-label={item.label}>
      <div className="flex items-start gap-3">
        <input
          id={`${id}-tick`}
          type="checkbox"
          className="mt-0.5 size-5 shrink-0 accent-[var(--ok)] disabled:cursor-not-allowed"
          checked={(ticking ?? item.status) === "PASSED"}
          disabled={tickDisabled}
          title={tickHint}
          onChange={(e) => {
            const status = e.target.checked ? "PASSED" : "PENDING";
            setTicking(status);
            void send({ status }, item.version).finally(() => setTicking(null));
          }}
        />
        <div className="min-w-0 flex-1 space-y-1">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <label
              htmlFor={`${id}-tick`}
              className={cn("text-sm font-medium", item.status === "NOT_APPLICABLE" && "text-muted line-through")}
            >
              {item.label}
            </label>
            {item.status !== "PENDING" && item.status !== "PASSED" && (
              <Badge tone={STATUS_TONE[item.status]}>
                <span data-testid="item-status">{STATUS_LABELS[item.status]}</span>
              </Badge>
            )}
            {isMetric && !item.isOverride && <Badge tone="info">checks itself</Badge>}
            {item.isOverride && <Badge tone="warn">override</Badge>}
            {locked && item.notBefore && (
              <Badge tone="neutral">
                <span>
                  opens <LocalTime iso={item.notBefore} />
                </span>
              </Badge>
            )}
            {item.dueAt && item.status === "PENDING" && (
              <Badge tone={overdue ? "warn" : "neutral"}>
                <span>
                  {overdue ? "overdue since" : "due"} <LocalTime iso={item.dueAt} style="time" />
                </span>
              </Badge>
            )}
          </div>
          {(item.description || (isMetric && metricLimit(item))) && (
            <p className="text-xs text-muted">{item.description || `Passes when ${metricLimit(item)}.`}</p>
          )}
          {item.autoSatisfied && item.metric && item.satisfiedValue !== null && (
            <p className="text-sm text-ok" data-testid="item-satisfied">
              {formatMetricValue(item.metric, item.satisfiedValue)}
              {item.satisfiedBaseline !== null && ` (baseline ${formatMetricValue(item.metric, item.satisfiedBaseline)})`} at{" "}
              {item.satisfiedAt && <LocalTime iso={item.satisfiedAt} style="time" />} — ticked automatically
            </p>
          )}
          {isMetric && item.status === "PENDING" && open && (
            <p className="text-xs text-muted">Not back yet: checked against the metrics since the rollback every 15 s.</p>
          )}
          {item.value !== null && (
            <p className="text-sm">
              <span className="text-muted">{item.kind === "NUMBER" ? "Value: " : "Answer: "}</span>
              <span className="font-medium tabular-nums" data-testid="item-value">
                {item.value}
              </span>
            </p>
          )}
          {item.testResult !== null && (
            <p className="text-sm">
              <span className="text-muted">Test result: </span>
              <span data-testid="item-test-result">{item.testResult}</span>
            </p>
          )}
          {item.note !== null && (
            <p className="text-sm whitespace-pre-wrap">
              <span className="text-muted">Note: </span>
              <span data-testid="item-note">{item.note}</span>
            </p>
          )}
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <WhoWhen item={item} />
            {editable && !editing && (
              <button
                type="button"
                className="text-xs font-medium text-accent hover:underline"
                onClick={() => {
                  setStale(null);
                  update.reset();
                  setEditing(true);
                }}
                aria-label={`${editVerb} “${item.label}”`}
              >
                {editVerb.replace(/ for$/, "")}…
              </button>
            )}
          </div>
          {stale && (
            <div role="alert" className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn">
              {stale}
            </div>
          )}
          {!editing && error && <FormAlert>{error}</FormAlert>}
          {editing && (
            <ItemEditor
              item={item}
              locked={locked}
              pending={update.isPending}
              error={error}
              onCancel={() => setEditing(false)}
              onSave={async (change, version) => {
                if (await send(change, version)) setEditing(false);
              }}
            />
          )}
        </div>
      </div>
    </li>
  );
}

function ItemEditor({
  item,
  locked,
  pending,
  error,
  onCancel,
  onSave,
}: {
  item: ItemView;
  locked: boolean;
  pending: boolean;
  error: string | undefined;
  onCancel: () => void;
  onSave: (change: Change, version: number) => void;
}) {
  const id = useId();
  // The version this edit is made against: if someone changes the item meanwhile, saving is refused
  // (and the current state shown) rather than overwriting what they did.
  const [baseVersion] = useState(item.version);
  const [baseStatus] = useState(item.status);
  const [status, setStatus] = useState<ChecklistItemStatus>(item.status);
  const isMetric = item.kind === "METRIC";
  const hasValue = item.kind === "NUMBER" || item.kind === "TEXT";
  return (
    <form
      aria-label={`Edit “${item.label}”`}
      className="mt-2 space-y-3 rounded-md border border-line bg-surface-2 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const text = (name: string) => (form.has(name) ? String(form.get(name)) : undefined);
        const change: Change = { note: text("note") };
        if (status !== baseStatus) change.status = status;
        if (hasValue) change.value = text("value");
        if (item.kind === "FEATURE") change.testResult = text("testResult");
        onSave(change, baseVersion);
      }}
    >
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-muted">{isMetric ? "Set by hand (override)" : "Status"}</legend>
        <div className="flex flex-wrap gap-1.5">
          {STATUSES.map((s) => {
            const disabled = locked && s !== "PENDING";
            return (
              <label
                key={s}
                className={cn(
                  "cursor-pointer rounded-md border px-2.5 py-1 text-sm",
                  status === s ? "border-accent bg-accent text-accent-fg" : "border-line bg-surface",
                  disabled && "cursor-not-allowed opacity-50",
                )}
              >
                <input
                  type="radio"
                  name="status"
                  value={s}
                  className="sr-only"
                  checked={status === s}
                  disabled={disabled}
                  onChange={() => setStatus(s)}
                />
                {s === "PENDING" && isMetric ? "Automatic" : STATUS_LABELS[s]}
              </label>
            );
          })}
        </div>
        {locked && (
          <p className="mt-1 text-xs text-muted">This item can only be answered 24 hours after the rollback; a note is fine now.</p>
        )}
      </fieldset>
      {hasValue && (
        <div className="space-y-1">
          <label htmlFor={`${id}-value`} className="block text-sm font-medium">
            {item.kind === "NUMBER" ? "Number" : "Answer"}
          </label>
          <input
            id={`${id}-value`}
            name="value"
            defaultValue={item.value ?? ""}
            inputMode={item.kind === "NUMBER" ? "decimal" : undefined}
            className={INPUT_CLASS}
          />
        </div>
      )}
      {item.kind === "FEATURE" && (
        <div className="space-y-1">
          <label htmlFor={`${id}-test`} className="block text-sm font-medium">
            Test result
          </label>
          <input
            id={`${id}-test`}
            name="testResult"
            defaultValue={item.testResult ?? ""}
            placeholder="What you tested and what happened"
            className={INPUT_CLASS}
          />
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor={`${id}-note`} className="block text-sm font-medium">
          Note{isMetric && status !== "PENDING" && status !== baseStatus ? " (required for an override)" : ""}
        </label>
        <textarea id={`${id}-note`} name="note" rows={2} defaultValue={item.note ?? ""} className={INPUT_CLASS} />
      </div>
      {item.version !== baseVersion && (
        <p role="status" className="text-sm text-warn">
          {item.updatedBy?.name ?? "The automatic check"} changed this item while you were editing; saving will show you their version
          first.
        </p>
      )}
      {error && <FormAlert>{error}</FormAlert>}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
