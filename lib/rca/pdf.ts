// The RCA's PDF: its own tree (the charts as vector figures), the header facts on the title page.
// Registered with the one document PDF export (lib/documents/pdf-export.ts).
import "server-only";
import { chartFigure } from "@/lib/documents/pdf-chart";
import { basePdfOptions, registerPdfBuilder } from "@/lib/documents/pdf-export";
import { formatUtc } from "@/lib/time/format";
import { MARK_LABELS, MARKS, type RcaContent, rcaMarkdownTree } from "./content";

const utc = (iso: string) => formatUtc(iso, "minute");

registerPdfBuilder("RCA", (read) => {
  const content = read.version.content as unknown as RcaContent;
  const base = basePdfOptions(read);
  const i = content.generated.incident;
  const marks = MARKS.flatMap((m) => {
    const mark = content.marks[m];
    return mark ? [[MARK_LABELS[m], `${mark.by}, ${utc(mark.at)}`] as const] : [];
  });
  return {
    tree: rcaMarkdownTree(content, "pdf"),
    options: {
      ...base,
      // The tree's own first heading, so the title page carries it and page 2 does not repeat it.
      title: `Root-cause analysis — INC-${i.number}: ${i.title}`,
      subtitle: `${i.service} · ${i.badVersion} → ${i.previousVersion} · ${i.severity}`,
      facts: [
        ["Incident", `INC-${i.number}`],
        ["Deployed", utc(i.deployedAt)],
        ["Detected", utc(i.detectedAt)],
        ["Resolved", i.resolvedAt ? utc(i.resolvedAt) : "not resolved"],
        ["Prepared by", content.preparedBy ?? "—"],
        ...(base.facts ?? []),
        ...marks,
      ],
      figures: Object.fromEntries(content.generated.charts.map((c) => [c.metric, chartFigure(c)])),
    },
  };
});
