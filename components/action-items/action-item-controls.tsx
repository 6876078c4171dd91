"use client";

// Changing an item's status (start, close as done with how it was verified, reopen) and editing it.
// Each is made against the item's version: a change someone else made first is refused with a
// message, and the page shows the item as it now is.
import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, firstActionError, INPUT_CLASS } from "@/components/ui/field";
import type { ActionItemStatus } from "@/generated/prisma/enums";
import { setActionItemStatusAction } from "@/lib/action-items/actions";
import type { EditableActionItem } from "@/lib/action-items/rules";
import { ActionItemForm, type ActionItemFormOptions } from "./action-item-form";

export function ActionItemControls({
  item,
  status,
  options,
}: {
  item: EditableActionItem;
  status: ActionItemStatus;
  options: ActionItemFormOptions;
}) {
  const uid = useId();
  const [mode, setMode] = useState<"idle" | "done" | "edit">("idle");
  const setStatus = useAction(setActionItemStatusAction, { onSuccess: () => setMode("idle") });
  const errors = (setStatus.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const noteError = errors.completionNote?.[0];
  const otherError = noteError ? undefined : firstActionError(setStatus.result);
  const move = (to: ActionItemStatus, completionNote = "") =>
    setStatus.execute({ id: item.id, version: item.version, status: to, completionNote });

  if (mode === "edit") {
    return (
      <div className="rounded-md border border-line bg-canvas p-3">
        <ActionItemForm item={item} options={options} onDone={() => setMode("idle")} />
      </div>
    );
  }

  return (
    <div className="space-y-2">
      {otherError && <FormAlert>{otherError}</FormAlert>}
      {mode === "done" ? (
        <form
          aria-label={`Close ${item.title}`}
          className="space-y-2 rounded-md border border-line bg-canvas p-3"
          onSubmit={(e) => {
            e.preventDefault();
            move("DONE", String(new FormData(e.currentTarget).get("completionNote") ?? ""));
          }}
        >
          <Field id={`${uid}-note`} label="How did you verify it is done?" error={noteError}>
            <textarea
              id={`${uid}-note`}
              name="completionNote"
              rows={2}
              className={INPUT_CLASS}
              aria-invalid={Boolean(noteError)}
              aria-describedby={describedBy(`${uid}-note`, noteError)}
            />
          </Field>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={setStatus.isPending}>
              {setStatus.isPending ? "Closing…" : "Close as done"}
            </Button>
            <Button variant="ghost" onClick={() => setMode("idle")}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap gap-2">
          {status === "NOT_STARTED" && (
            <Button variant="secondary" disabled={setStatus.isPending} onClick={() => move("IN_PROGRESS")}>
              Start
            </Button>
          )}
          {status !== "DONE" && (
            <Button variant="secondary" onClick={() => setMode("done")}>
              Mark done…
            </Button>
          )}
          {status === "DONE" && (
            <Button variant="ghost" disabled={setStatus.isPending} onClick={() => move("IN_PROGRESS")}>
              Reopen
            </Button>
          )}
          <Button variant="ghost" onClick={() => setMode("edit")}>
            Edit
          </Button>
        </div>
      )}
    </div>
  );
}
