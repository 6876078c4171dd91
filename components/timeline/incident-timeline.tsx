"use client";

// The incident's timeline panel: filters by kind and key moments (links, so they work before the
// script loads and can be shared), oldest- or newest-first (remembered in a cookie), the UTC switch,
// exports, a responder's note form, and the first screen of entries with "Show more" beyond it.
// Live: the page re-renders on every timeline event (components/live/incident-live.tsx); pages
// loaded with "Show more" are loaded again from the new first screen's end.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { TimeZoneSwitch } from "@/components/time/time-zone-switch";
import { cn } from "@/components/ui/cn";
import type { TimelineEntry } from "@/lib/timeline/entries";
import { CATEGORY_LABELS, TIMELINE_CATEGORIES, type TimelineCategory } from "@/lib/timeline/kinds";
import { TIMELINE_ORDER_COOKIE } from "@/lib/timeline/order";
import type { TimelineQuery } from "@/lib/timeline/schemas";
import { NoteForm } from "./note-form";
import { TimelineList } from "./timeline-list";

export type TimelinePageData = { entries: TimelineEntry[]; nextCursor: string | null };
export type TimelineCounts = { total: number; starred: number; byCategory: Record<TimelineCategory, number> };

const CHIP = "rounded-full border px-2 py-0.5 text-xs whitespace-nowrap";

export function IncidentTimeline({
  incidentId,
  incidentNumber,
  first,
  counts,
  query,
  readOnly,
}: {
  incidentId: string;
  incidentNumber: number;
  first: TimelinePageData;
  counts: TimelineCounts;
  query: TimelineQuery;
  readOnly: boolean;
}) {
  const pathname = usePathname();
  const params = useSearchParams();
  const router = useRouter();
  // What "Show more" loaded: for this view (filter and order) and after this first screen's end.
  const view = `${query.order}|${query.categories.join(",")}|${query.starredOnly}`;
  const [more, setMore] = useState<{ view: string; after: string | null; entries: TimelineEntry[]; next: string | null }>({
    view,
    after: first.nextCursor,
    entries: [],
    next: first.nextCursor,
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const apiParams = (cursor: string, limit?: number) => {
    const p = new URLSearchParams({ cursor, order: query.order });
    if (query.categories.length) p.set("kinds", query.categories.join(","));
    if (query.starredOnly) p.set("starred", "1");
    if (limit) p.set("limit", String(limit));
    return p;
  };

  async function load(cursor: string, limit?: number): Promise<TimelinePageData | null> {
    setLoading(true);
    setError(null);
    try {
      const r = await fetch(`/api/incidents/${incidentNumber}/timeline?${apiParams(cursor, limit)}`, { cache: "no-store" });
      if (!r.ok) throw new Error(String(r.status));
      return (await r.json()) as TimelinePageData;
    } catch {
      setError("Could not load more entries. Try again.");
      return null;
    } finally {
      setLoading(false);
    }
  }

  // Another filter or order starts again at its first screen. The same view's first screen
  // changed (a live re-render): what was loaded beyond it is loaded again from its new end, as many
  // entries as before, so nothing is skipped or shown twice.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the view and the first screen's end only
  useEffect(() => {
    if (more.view === view && more.after === first.nextCursor) return;
    const count = more.view === view ? more.entries.length : 0;
    if (!first.nextCursor || count === 0) {
      setMore({ view, after: first.nextCursor, entries: [], next: first.nextCursor });
      return;
    }
    const from = first.nextCursor;
    void load(from, count).then((page) => {
      if (page) setMore({ view, after: from, entries: page.entries, next: page.nextCursor });
    });
  }, [view, first.nextCursor]);

  const stale = more.view !== view || more.after !== first.nextCursor;
  const entries = stale ? first.entries : [...first.entries, ...more.entries];
  const next = stale ? first.nextCursor : more.next;

  const hrefWith = (change: { kinds?: TimelineCategory[]; starred?: boolean }) => {
    const p = new URLSearchParams(params.toString());
    const kinds = change.kinds ?? query.categories;
    const starred = change.starred ?? query.starredOnly;
    if (kinds.length) p.set("kinds", kinds.join(","));
    else p.delete("kinds");
    if (starred) p.set("starred", "1");
    else p.delete("starred");
    const s = p.toString();
    return `${pathname}${s ? `?${s}` : ""}#timeline`;
  };
  const toggle = (c: TimelineCategory) =>
    query.categories.includes(c) ? query.categories.filter((k) => k !== c) : [...query.categories, c];

  const setOrder = (order: TimelineQuery["order"]) => {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and Safari; the value is one of two words
    document.cookie = `${TIMELINE_ORDER_COOKIE}=${order}; path=/; max-age=${400 * 24 * 3600}; samesite=lax`;
    router.refresh();
  };

  const exportHref = (format: "csv" | "md") => `/api/incidents/${incidentNumber}/timeline/export?format=${format}`;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <TimeZoneSwitch />
        <fieldset className="flex items-center gap-1 text-xs">
          <legend className="sr-only">Order</legend>
          {(["oldest", "newest"] as const).map((o) => (
            <button
              key={o}
              type="button"
              aria-pressed={query.order === o}
              onClick={() => query.order !== o && setOrder(o)}
              className={cn(CHIP, query.order === o ? "border-fg bg-fg text-surface" : "border-line text-muted hover:text-fg")}
            >
              {o === "oldest" ? "Oldest first" : "Newest first"}
            </button>
          ))}
        </fieldset>
      </div>
      <nav aria-label="Filter the timeline" className="flex flex-wrap gap-1">
        <Link
          href={hrefWith({ kinds: [], starred: false })}
          scroll={false}
          aria-current={!query.categories.length && !query.starredOnly ? "true" : undefined}
          className={cn(
            CHIP,
            !query.categories.length && !query.starredOnly
              ? "border-accent bg-accent text-accent-fg"
              : "border-line text-muted hover:text-fg",
          )}
        >
          All {counts.total}
        </Link>
        <Link
          href={hrefWith({ starred: !query.starredOnly })}
          scroll={false}
          aria-current={query.starredOnly ? "true" : undefined}
          className={cn(CHIP, query.starredOnly ? "border-warn bg-warn-soft text-warn" : "border-line text-muted hover:text-fg")}
        >
          ★ Key moments {counts.starred}
        </Link>
        {TIMELINE_CATEGORIES.filter((c) => counts.byCategory[c] > 0 || query.categories.includes(c)).map((c) => {
          const on = query.categories.includes(c);
          return (
            <Link
              key={c}
              href={hrefWith({ kinds: toggle(c) })}
              scroll={false}
              aria-current={on ? "true" : undefined}
              className={cn(CHIP, on ? "border-accent bg-accent text-accent-fg" : "border-line text-muted hover:text-fg")}
            >
              {CATEGORY_LABELS[c]} {counts.byCategory[c]}
            </Link>
          );
        })}
      </nav>
      {!readOnly && (
        <details className="rounded-md border border-line p-2">
          <summary className="cursor-pointer text-sm font-medium">Add a note</summary>
          <div className="mt-2">
            <NoteForm incidentId={incidentId} />
          </div>
        </details>
      )}
      <TimelineList entries={entries} readOnly={readOnly} />
      {next && (
        <button
          type="button"
          disabled={loading}
          onClick={() => {
            const after = first.nextCursor;
            const loaded = stale ? [] : more.entries;
            void load(next).then((page) => {
              if (page) setMore({ view, after, entries: [...loaded, ...page.entries], next: page.nextCursor });
            });
          }}
          className="w-full rounded-md border border-line py-1.5 text-sm text-muted hover:bg-surface-2 hover:text-fg disabled:opacity-50"
        >
          {loading ? "Loading…" : "Show more"}
        </button>
      )}
      {error && (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      )}
      <p className="text-xs text-muted">
        Export (UTC):{" "}
        <a className="text-accent underline-offset-2 hover:underline" href={exportHref("md")}>
          Markdown
        </a>{" "}
        ·{" "}
        <a className="text-accent underline-offset-2 hover:underline" href={exportHref("csv")}>
          CSV
        </a>
      </p>
    </div>
  );
}
