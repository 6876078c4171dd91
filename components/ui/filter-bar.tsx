// A list's filters as a plain GET form: they live in the URL, so a filtered list can be shared and
// bookmarked. Each list brings its own fields; the frame, the labels, "Filter" and "Clear" are here.
import Link from "next/link";
import type { ReactNode } from "react";
import { INPUT_CLASS } from "@/components/ui/field";

/** A filter's select: as wide as its longest option, not the row. */
export const FILTER_SELECT_CLASS = `${INPUT_CLASS} w-auto`;

/** `clearHref`: where "Clear" goes, shown only while a filter is set (null: none is). */
export function FilterBar({ action, clearHref, children }: { action: string; clearHref: string | null; children: ReactNode }) {
  return (
    <search>
      <form method="get" action={action} className="flex flex-wrap items-end gap-3 rounded-lg border border-line bg-surface p-3">
        {children}
        <button type="submit" className="rounded-md border border-line bg-surface-2 px-3 py-2 text-sm font-medium hover:bg-canvas">
          Filter
        </button>
        {clearHref && (
          <Link href={clearHref} className="py-2 text-sm text-muted hover:text-fg">
            Clear
          </Link>
        )}
      </form>
    </search>
  );
}

/** One labelled filter; `id` is its control's. */
export function FilterField({ id, label, className, children }: { id: string; label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-muted">
        {label}
      </label>
      {children}
    </div>
  );
}
