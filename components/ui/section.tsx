import type { ReactNode } from "react";
import { cn } from "./cn";

/** A top-level section of a page (the incident page's Evidence, Decision, Rollback…): one heading style, an anchor to link to. */
export function Section({
  id,
  title,
  actions,
  children,
  className,
}: {
  /** The anchor (#id); the heading is `${id}-h`. */
  id: string;
  title: ReactNode;
  /** Shown at the heading's right (wraps below it on phones). */
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-h`} className={cn("scroll-mt-4 space-y-4", className)}>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2">
        <h2 id={`${id}-h`} className="text-lg font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** What a section will hold once its time comes. */
export function SectionPlaceholder({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-line px-4 py-4 text-sm text-muted">{children}</p>;
}
