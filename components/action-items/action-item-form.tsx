"use client";

// Creating or editing an action item. Reusable: the incident page, the RCA page and the
// post-mortem put it where items come from. The horizon proposes the due date (until the due date
// is set by hand); the server checks everything again (lib/action-items/schemas.ts, mutations.ts).
import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import type { ActionItemHorizon, ActionItemPriority } from "@/generated/prisma/enums";
import { createActionItemAction, updateActionItemAction } from "@/lib/action-items/actions";
import { type EditableActionItem, HORIZON_LABELS, HORIZONS, PRIORITIES, PRIORITY_LABELS, proposeDueDay } from "@/lib/action-items/rules";
import type { ActionItemLink } from "@/lib/action-items/schemas";

export type ActionItemFormOptions = {
  users: { id: string; name: string }[];
  /** Runbooks an item may link to (the incident's service's). */
  runbooks: { id: string; name: string }[];
  /** The incident's service, which an item may link to. */
  service: { id: string; name: string };
  /** The server's "now" (the controllable clock), for the due date a horizon proposes. */
  nowIso: string;
};

function linkChoice(item?: EditableActionItem): string {
  if (item?.linkUrl) return "url";
  if (item?.linkRunbookId) return `runbook:${item.linkRunbookId}`;
  if (item?.linkServiceId) return `service:${item.linkServiceId}`;
  return "none";
}

function linkInput(choice: string, url: string): ActionItemLink {
  if (choice === "url") return { kind: "url", url };
  const [kind, id = ""] = choice.split(":");
  if (kind === "runbook") return { kind: "runbook", runbookId: id };
  if (kind === "service") return { kind: "service", serviceId: id };
  return { kind: "none" };
}

export function ActionItemForm({
  incidentId,
  item,
  options,
  onDone,
}: {
  /** Create an item on this incident… */
  incidentId?: string;
  /** …or edit this one. */
  item?: EditableActionItem;
  options: ActionItemFormOptions;
  onDone?: () => void;
}) {
  const uid = useId();
  const now = new Date(options.nowIso);
  const [horizon, setHorizon] = useState<ActionItemHorizon>(item?.horizon ?? "IMMEDIATE");
  const [dueDay, setDueDay] = useState(item?.dueDay ?? proposeDueDay("IMMEDIATE", now));
  const [dueTouched, setDueTouched] = useState(Boolean(item));
  const [link, setLink] = useState(linkChoice(item));
  // A new key empties the form after a successful create.
  const [formKey, setFormKey] = useState(0);
  const create = useAction(createActionItemAction, {
    onSuccess: () => {
      setFormKey((k) => k + 1);
      setHorizon("IMMEDIATE");
      setDueDay(proposeDueDay("IMMEDIATE", now));
      setDueTouched(false);
      setLink("none");
      onDone?.();
    },
  });
  const update = useAction(updateActionItemAction, { onSuccess: () => onDone?.() });
  const action = item ? update : create;
  const errors = (action.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const id = (name: string) => `${uid}-${name}`;
  const err = (name: string) => errors[name]?.[0];

  return (
    <form
      key={formKey}
      aria-label={item ? `Edit action item ${item.title}` : "New action item"}
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const fields = {
          title: String(f.get("title") ?? ""),
          ownerId: String(f.get("ownerId") ?? ""),
          dueDay,
          priority: String(f.get("priority") ?? "") as ActionItemPriority,
          horizon,
          verification: String(f.get("verification") ?? ""),
          link: linkInput(link, String(f.get("linkUrl") ?? "").trim()),
        };
        if (item) update.execute({ id: item.id, version: item.version, ...fields });
        else create.execute({ incidentId: incidentId ?? "", ...fields });
      }}
    >
      {action.result.serverError && <FormAlert>{action.result.serverError}</FormAlert>}
      {create.hasSucceeded && !item && (
        <p role="status" className="text-sm text-ok">
          Action item added.
        </p>
      )}
      <Field id={id("title")} label="What needs doing?" error={err("title")}>
        <input
          id={id("title")}
          name="title"
          defaultValue={item?.title}
          maxLength={200}
          className={INPUT_CLASS}
          aria-invalid={Boolean(err("title"))}
          aria-describedby={describedBy(id("title"), err("title"))}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={id("owner")} label="Owner" error={err("ownerId")}>
          <select
            id={id("owner")}
            name="ownerId"
            defaultValue={item?.ownerId ?? ""}
            className={INPUT_CLASS}
            aria-invalid={Boolean(err("ownerId"))}
            aria-describedby={describedBy(id("owner"), err("ownerId"))}
          >
            <option value="">Choose…</option>
            {options.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("priority")} label="Priority" error={err("priority")}>
          <select id={id("priority")} name="priority" defaultValue={item?.priority ?? "HIGH"} className={INPUT_CLASS}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("horizon")} label="Horizon" hint="Proposes the due date." error={err("horizon")}>
          <select
            id={id("horizon")}
            name="horizon"
            value={horizon}
            onChange={(e) => {
              const h = e.target.value as ActionItemHorizon;
              setHorizon(h);
              if (!dueTouched) setDueDay(proposeDueDay(h, now));
            }}
            className={INPUT_CLASS}
            aria-describedby={describedBy(id("horizon"), err("horizon"), "hint")}
          >
            {HORIZONS.map((h) => (
              <option key={h} value={h}>
                {HORIZON_LABELS[h]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("due")} label="Due date" error={err("dueDay")}>
          <input
            id={id("due")}
            name="dueDay"
            type="date"
            value={dueDay}
            onChange={(e) => {
              setDueDay(e.target.value);
              setDueTouched(true);
            }}
            className={INPUT_CLASS}
            aria-invalid={Boolean(err("dueDay"))}
            aria-describedby={describedBy(id("due"), err("dueDay"))}
          />
        </Field>
      </div>
      <Field id={id("verification")} label="How will completion be verified?" error={err("verification")}>
        <textarea
          id={id("verification")}
          name="verification"
          rows={2}
          defaultValue={item?.verification}
          className={INPUT_CLASS}
          aria-invalid={Boolean(err("verification"))}
          aria-describedby={describedBy(id("verification"), err("verification"))}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={id("link")} label="Link (optional)" error={link === "url" ? undefined : err("link")}>
          <select id={id("link")} value={link} onChange={(e) => setLink(e.target.value)} className={INPUT_CLASS}>
            <option value="none">No link</option>
            <option value="url">A web address…</option>
            {options.runbooks.map((r) => (
              <option key={r.id} value={`runbook:${r.id}`}>
                Runbook: {r.name}
              </option>
            ))}
            <option value={`service:${options.service.id}`}>Service: {options.service.name}</option>
          </select>
        </Field>
        {link === "url" && (
          <Field id={id("url")} label="Web address" error={err("link")}>
            <input
              id={id("url")}
              name="linkUrl"
              type="url"
              inputMode="url"
              placeholder="https://"
              defaultValue={item?.linkUrl ?? ""}
              className={INPUT_CLASS}
              aria-invalid={Boolean(err("link"))}
              aria-describedby={describedBy(id("url"), err("link"))}
            />
          </Field>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={action.isPending}>
          {action.isPending ? "Saving…" : item ? "Save changes" : "Add action item"}
        </Button>
        {item && onDone && (
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
