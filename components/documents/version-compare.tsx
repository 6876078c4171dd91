// Two versions of a document side by side: the fields of the structured content that changed
// (before → after), then the Markdown line by line with long unchanged runs folded.
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { LineChange, VersionComparison } from "@/lib/documents/compare";

/** Unchanged runs longer than this show their first and last CONTEXT lines only. */
const CONTEXT = 3;

type Row = { kind: LineChange["kind"] | "fold"; text: string };

function rows(lines: LineChange[]): Row[] {
  const out: Row[] = [];
  lines.forEach((part, i) => {
    const keepHead = i > 0;
    const keepTail = i < lines.length - 1;
    if (part.kind !== "same" || part.lines.length <= CONTEXT * 2 + 1) {
      for (const text of part.lines) out.push({ kind: part.kind, text });
      return;
    }
    const head = keepHead ? part.lines.slice(0, CONTEXT) : [];
    const tail = keepTail ? part.lines.slice(-CONTEXT) : [];
    for (const text of head) out.push({ kind: "same", text });
    const hidden = part.lines.length - head.length - tail.length;
    out.push({ kind: "fold", text: `${hidden} unchanged line${hidden === 1 ? "" : "s"}` });
    for (const text of tail) out.push({ kind: "same", text });
  });
  return out;
}

const LINE: Record<Row["kind"], string> = {
  same: "text-fg",
  added: "bg-ok-soft text-ok",
  removed: "bg-danger-soft text-danger",
  fold: "bg-surface-2 text-muted italic",
};
const MARK: Record<Row["kind"], string> = { same: " ", added: "+", removed: "−", fold: "⋯" };

export function VersionCompare({ comparison, from, to }: { comparison: VersionComparison; from: number; to: number }) {
  const { fields, lines, added, removed } = comparison;
  return (
    <div className="space-y-6">
      <p className="text-sm" data-testid="compare-summary">
        {fields.length === 0 && added === 0 && removed === 0
          ? `Versions ${from} and ${to} say the same.`
          : `From version ${from} to ${to}: ${fields.length} field${fields.length === 1 ? "" : "s"} changed, ${added} line${added === 1 ? "" : "s"} added and ${removed} removed in the Markdown.`}
      </p>
      {fields.length > 0 && (
        <Card title="What changed">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                Fields of the document that differ between version {from} and version {to}
              </caption>
              <thead className="text-xs text-muted">
                <tr>
                  <th className="py-1 pr-3 font-medium">Field</th>
                  <th className="py-1 pr-3 font-medium">Version {from}</th>
                  <th className="py-1 font-medium">Version {to}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line align-top">
                {fields.map((f) => (
                  <tr key={f.field}>
                    <td className="py-1.5 pr-3 font-mono text-xs break-all">{f.field}</td>
                    <td className="py-1.5 pr-3 break-words text-danger">{f.before}</td>
                    <td className="py-1.5 break-words text-ok">{f.after}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      <Card title="Markdown, line by line">
        <div className="overflow-x-auto rounded-md border border-line">
          <div className="min-w-full py-1 font-mono text-xs leading-5">
            {rows(lines).map((r, i) => (
              <div
                // Lines have no identity of their own; their position in this fixed list is theirs.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                key={i}
                className={cn("flex gap-2 px-2 whitespace-pre-wrap break-words", LINE[r.kind])}
                data-change={r.kind}
              >
                <span aria-hidden="true" className="w-3 shrink-0 select-none text-center">
                  {MARK[r.kind]}
                </span>
                <span className="min-w-0 flex-1">
                  {r.kind === "added" && <span className="sr-only">Added: </span>}
                  {r.kind === "removed" && <span className="sr-only">Removed: </span>}
                  {r.text || " "}
                </span>
              </div>
            ))}
          </div>
        </div>
      </Card>
    </div>
  );
}
