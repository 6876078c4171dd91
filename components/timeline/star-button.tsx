"use client";

// Marks an entry as a key moment (responders only; the change refuses anyone else).
import { useAction } from "next-safe-action/hooks";
import { cn } from "@/components/ui/cn";
import { starTimelineEventAction } from "@/lib/timeline/actions";

export function StarButton({ eventId, starred }: { eventId: string; starred: boolean }) {
  const { execute, isPending, result } = useAction(starTimelineEventAction);
  const error = result.serverError;
  return (
    <button
      type="button"
      aria-pressed={starred}
      aria-label={starred ? "Unstar this moment" : "Star as a key moment"}
      title={error ?? (starred ? "Unstar this moment" : "Star as a key moment")}
      disabled={isPending}
      onClick={() => execute({ eventId, starred: !starred })}
      className={cn(
        "shrink-0 rounded px-1 text-base leading-none hover:bg-surface-2 disabled:opacity-50",
        starred ? "text-warn" : "text-muted/60 hover:text-fg",
        error && "text-danger",
      )}
    >
      <span aria-hidden>{starred ? "★" : "☆"}</span>
    </button>
  );
}
