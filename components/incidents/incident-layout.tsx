// The incident page's arrangement, in one place: what comes first for whom. Sections are passed in
// by the page (app/(app)/incidents/[number]/page.tsx) as plain lists, so a new section is one entry
// in the right list, never a change here.
//
// - A reader (a stakeholder, and anyone on a phone) gets the story first: the "lead" (status update,
//   milestones), the impact, the timeline, the facts, then the operational sections folded (<details>).
// - A responder gets the control room: the operational sections open, the timeline beside them on
//   wide screens; on a phone the timeline comes first and FoldOnPhone folds the sections once the
//   page has loaded (they are below the first screen, so nothing on it moves). Folds stay real
//   <details> open in the server's markup, so what a screen reader and the tests find is what shows.
import type { ReactNode } from "react";
import { FoldOnPhone, OpenFoldOnHash } from "./open-fold-on-hash";

export type OperationalSection = {
  /** The section's anchor (what the "Now" line links to). */
  id: string;
  /** What the fold says while closed: the section's name and what is in it. */
  summary: string;
  node: ReactNode;
};

function blocks(nodes: ReactNode[]) {
  return nodes.filter(Boolean).map((node, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list the page writes out
    <div key={i}>{node}</div>
  ));
}

export function IncidentLayout({
  reader,
  header,
  lead,
  facts,
  impact,
  timeline,
  operational,
}: {
  /** A stakeholder: operational sections stay folded on every screen. */
  reader: boolean;
  header: ReactNode;
  /** What everyone reads first, in the order given: the status update, the milestones. */
  lead: ReactNode[];
  /** Service, versions, clocks: the control room's second line; after the timeline for a reader. */
  facts: ReactNode;
  /** Summary and user impact: before the timeline for everyone. */
  impact: ReactNode;
  timeline: ReactNode;
  operational: OperationalSection[];
}) {
  const folds = operational.map((s) => (
    <details key={s.id} open={!reader} className="ops-fold group rounded-lg" data-section={s.id}>
      <summary className="flex cursor-pointer items-center justify-between gap-3 rounded-lg border border-line bg-surface px-4 py-3 text-sm font-medium hover:bg-surface-2">
        <span>{s.summary}</span>
        <span aria-hidden className="text-muted transition-transform group-open:rotate-90">
          ›
        </span>
      </summary>
      <div className="pt-4">{s.node}</div>
    </details>
  ));
  return (
    <div className="space-y-6">
      <OpenFoldOnHash />
      {!reader && <FoldOnPhone />}
      {header}
      {blocks(lead)}
      {!reader && facts}
      {impact}
      {reader ? (
        <>
          <div id="timeline" className="scroll-mt-4">
            {timeline}
          </div>
          {facts}
          <div className="space-y-3">
            <h2 className="text-sm font-semibold text-muted">How the team is working it</h2>
            {folds}
          </div>
        </>
      ) : (
        // Phones: the timeline before the folded sections. Wide screens: the sections open, the timeline beside them.
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <aside id="timeline" className="min-w-0 scroll-mt-4 lg:col-start-2 lg:row-start-1">
            {timeline}
          </aside>
          <div className="min-w-0 space-y-3 lg:col-start-1 lg:row-start-1 lg:space-y-6 lg:[&_.ops-fold>summary]:hidden lg:[&_.ops-fold>div]:pt-0">
            {folds}
          </div>
        </div>
      )}
    </div>
  );
}
