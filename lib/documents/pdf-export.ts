// A stored document version as a PDF. Every kind gets one from its stored Markdown (parsed back
// into the tree it was built from); a kind with more to draw (the RCA's charts) registers its own
// builder here, from the version's structured content.
import "server-only";
import type { Root } from "mdast";
import type { DocumentKind } from "@/generated/prisma/enums";
import { formatUtc } from "@/lib/time/format";
import { KIND_LABELS } from "./links";
import { type PdfOptions, parseDocumentMarkdown, renderPdf } from "./pdf";
import type { DocumentVersionRead } from "./queries";

export type PdfSource = { tree: Root; options: PdfOptions };
type PdfBuilder = (read: DocumentVersionRead) => PdfSource | Promise<PdfSource>;

const BUILDERS: Partial<Record<DocumentKind, PdfBuilder>> = {};

/** A document kind's own PDF builder (called once, by the module that owns the kind). */
export function registerPdfBuilder(kind: DocumentKind, builder: PdfBuilder): void {
  BUILDERS[kind] = builder;
}

/** The options every document's PDF starts from: who wrote this version, when, which version. */
export function basePdfOptions(read: DocumentVersionRead): PdfOptions {
  const { document: doc, version: v } = read;
  return {
    title: doc.title,
    subtitle: `INC-${doc.incident.number} · ${KIND_LABELS[doc.kind]}`,
    facts: [
      ["Version", `${v.version} of ${doc.currentVersion}`],
      ["Written", `${formatUtc(v.createdAt, "minute")}${v.createdBy ? ` by ${v.createdBy.name}` : " by Backout"}`],
    ],
    footer: `INC-${doc.incident.number} · ${doc.title} · v${v.version}`,
    createdAt: v.createdAt,
    author: v.createdBy?.name ?? "Backout",
  };
}

export async function documentPdf(read: DocumentVersionRead): Promise<Buffer> {
  const builder = BUILDERS[read.document.kind];
  const source = builder ? await builder(read) : { tree: parseDocumentMarkdown(read.version.markdown), options: basePdfOptions(read) };
  return renderPdf(source.tree, source.options);
}
