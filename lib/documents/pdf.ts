// The one PDF renderer for documents: an mdast tree (what lib/documents/markdown.ts builds, or a
// stored document's Markdown parsed back with `parseDocumentMarkdown`) drawn with pdfkit into a
// PDF that reads like a document — a title page, headings, paragraphs, lists, tables, figures and
// "Page n of N" on every page. pdfkit is pure JavaScript (no browser on the server); the text is
// set in DejaVu Sans, embedded from the dejavu-fonts-ttf package, because the 14 standard PDF fonts
// cannot draw "→", "≤" or most non-Latin text.
//
// Safety: every node is drawn as text. Raw HTML in the tree is shown as its literal text, links are
// clickable only for http(s) targets, and images are never fetched: an image node draws a figure
// the caller supplied (`figure:<key>` URLs, drawn as vectors) or else its alt text.
import "server-only";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { List, PhrasingContent, Root, RootContent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import PDFDocument from "pdfkit";
import { safeHttpUrl } from "./markdown";

export type PdfBox = { x: number; y: number; width: number; height: number };

/** A drawing the caller supplies for an image node whose URL is `figure:<key>` (a chart, drawn as vectors). */
export type PdfFigure = { height: number; draw: (doc: PDFKit.PDFDocument, box: PdfBox) => void };

export type PdfOptions = {
  /** The title page's title; defaults to the tree's first level-1 heading (then not repeated). */
  title?: string;
  /** A line under the title ("INC-12 · checkout-service"). */
  subtitle?: string;
  /** Label/value facts on the title page (prepared by, dates, version). */
  facts?: readonly (readonly [string, string])[];
  /** Small text in every page's footer, left of the page number. */
  footer?: string;
  figures?: Readonly<Record<string, PdfFigure>>;
  /** The PDF's own metadata; `createdAt` fixes the creation date (the same input gives the same file). */
  author?: string;
  createdAt?: Date;
};

/** A stored document's Markdown back into the tree (GFM: tables, task lists, strikethrough). */
export function parseDocumentMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

const FONT_FILES = {
  body: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  italic: "DejaVuSans-Oblique.ttf",
  boldItalic: "DejaVuSans-BoldOblique.ttf",
  mono: "DejaVuSansMono.ttf",
} as const;
type Font = keyof typeof FONT_FILES;

let fontDir: string | null = null;
/** The folder of the TrueType files: resolved from the package, or node_modules under the working folder (a bundled server). */
function fontsFolder(): string {
  if (fontDir) return fontDir;
  const candidates: string[] = [];
  try {
    candidates.push(path.dirname(createRequire(path.join(process.cwd(), "package.json")).resolve("dejavu-fonts-ttf/package.json")));
  } catch {}
  candidates.push(path.join(process.cwd(), "node_modules", "dejavu-fonts-ttf"));
  const found = candidates.map((c) => path.join(c, "ttf")).find((d) => existsSync(path.join(d, FONT_FILES.body)));
  if (!found) throw new Error("The PDF fonts (npm package dejavu-fonts-ttf) are not installed: run npm install.");
  fontDir = found;
  return found;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const FOOTER_Y = A4.height - 36;
const COLOR = { text: "#111827", muted: "#6b7280", rule: "#d1d5db", head: "#f3f4f6", accent: "#1f3a8a", code: "#f3f4f6" };
const SIZE = { body: 10, small: 8, h1: 20, h2: 15, h3: 12, h4: 10.5, title: 26 };

type Style = { font: Font; link?: string; strike?: boolean; code?: boolean };

function fontFor(bold: boolean, italic: boolean): Font {
  return bold ? (italic ? "boldItalic" : "bold") : italic ? "italic" : "body";
}

/** Inline content as runs of text with their style. */
function runs(
  nodes: readonly PhrasingContent[],
  style: { bold: boolean; italic: boolean; link?: string; strike?: boolean },
): (Style & { text: string })[] {
  const out: (Style & { text: string })[] = [];
  for (const n of nodes) {
    const font = fontFor(style.bold, style.italic);
    switch (n.type) {
      case "text":
        out.push({ text: n.value, font, link: style.link, strike: style.strike });
        break;
      case "inlineCode":
        out.push({ text: n.value, font: "mono", code: true, link: style.link });
        break;
      case "html":
        // Raw HTML is never interpreted: its literal text.
        out.push({ text: n.value, font, link: style.link });
        break;
      case "break":
        out.push({ text: "\n", font });
        break;
      case "strong":
        out.push(...runs(n.children, { ...style, bold: true }));
        break;
      case "emphasis":
        out.push(...runs(n.children, { ...style, italic: true }));
        break;
      case "delete":
        out.push(...runs(n.children, { ...style, strike: true }));
        break;
      case "link": {
        const href = safeHttpUrl(n.url) ?? undefined;
        out.push(...runs(n.children, { ...style, link: href }));
        break;
      }
      case "image":
        out.push({ text: `[image: ${n.alt ?? ""}]`, font: "italic" });
        break;
      case "linkReference":
      case "footnoteReference":
      case "imageReference":
        out.push({ text: "label" in n && n.label ? `[${n.label}]` : "", font });
        break;
      default:
        break;
    }
  }
  return out.filter((r) => r.text !== "");
}

export function plainText(nodes: readonly (PhrasingContent | RootContent)[]): string {
  return nodes
    .map((n) => {
      if (n.type === "break") return " ";
      if ("value" in n && typeof n.value === "string") return n.value;
      if (n.type === "image") return n.alt ?? "";
      if ("children" in n) return plainText(n.children as PhrasingContent[]);
      return "";
    })
    .join("");
}

class Writer {
  readonly doc: PDFKit.PDFDocument;
  readonly left = MARGIN;
  readonly width = A4.width - 2 * MARGIN;
  readonly bottom = A4.height - MARGIN;

  constructor(private readonly options: PdfOptions) {
    const dir = fontsFolder();
    this.doc = new PDFDocument({
      size: "A4",
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      bufferPages: true,
      autoFirstPage: true,
      info: {
        Title: options.title ?? "",
        ...(options.author ? { Author: options.author } : {}),
        Creator: "Backout",
        ...(options.createdAt ? { CreationDate: options.createdAt, ModDate: options.createdAt } : {}),
      },
    });
    for (const [name, file] of Object.entries(FONT_FILES)) this.doc.registerFont(name, path.join(dir, file));
    this.doc.font("body").fontSize(SIZE.body).fillColor(COLOR.text);
  }

  /** Starts a new page when less than `height` is left on this one. */
  ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  gap(points: number) {
    if (this.doc.y + points < this.bottom) this.doc.y += points;
  }

  inline(nodes: readonly PhrasingContent[], opts: { x: number; width: number; size?: number; bold?: boolean; color?: string }) {
    const size = opts.size ?? SIZE.body;
    const list = runs(nodes, { bold: Boolean(opts.bold), italic: false });
    if (list.length === 0) return;
    const doc = this.doc;
    doc.fontSize(size);
    this.ensure(size * 1.6);
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      doc.font(r.font).fillColor(r.link ? COLOR.accent : (opts.color ?? COLOR.text));
      const textOptions: PDFKit.Mixins.TextOptions = {
        width: opts.width,
        continued: !last,
        lineGap: 2,
        link: r.link ?? null,
        underline: Boolean(r.link),
        strike: Boolean(r.strike),
      };
      if (i === 0) doc.text(r.text, opts.x, doc.y, textOptions);
      else doc.text(r.text, textOptions);
    });
    doc.font("body").fillColor(COLOR.text);
  }

  heading(depth: number, nodes: readonly PhrasingContent[]) {
    const size = depth === 1 ? SIZE.h1 : depth === 2 ? SIZE.h2 : depth === 3 ? SIZE.h3 : SIZE.h4;
    // Keep a heading with at least a few lines of what follows it.
    this.ensure(size * 1.6 + 48);
    this.gap(depth <= 2 ? 10 : 6);
    this.inline(nodes, { x: this.left, width: this.width, size, bold: true, color: depth <= 2 ? COLOR.accent : COLOR.text });
    if (depth <= 2) {
      const y = this.doc.y + 1;
      this.doc
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .lineWidth(depth === 1 ? 1 : 0.5)
        .strokeColor(COLOR.rule)
        .stroke();
    }
    this.gap(6);
  }

  list(list: List, x: number, width: number) {
    const start = list.start ?? 1;
    list.children.forEach((item, i) => {
      const marker = typeof item.checked === "boolean" ? (item.checked ? "☑" : "☐") : list.ordered ? `${start + i}.` : "•";
      const indent = list.ordered ? 18 : 12;
      this.ensure(SIZE.body * 1.6);
      const y = this.doc.y;
      this.doc.font("body").fontSize(SIZE.body).fillColor(COLOR.text).text(marker, x, y, { width: indent, lineBreak: false });
      this.doc.y = y;
      item.children.forEach((child, j) => {
        if (j > 0) this.gap(2);
        this.block(child, x + indent, width - indent);
      });
      this.gap(2);
    });
  }

  table(table: Table, x: number, width: number) {
    const rows = table.children.map((r) => r.children.map((c) => plainText(c.children)));
    if (rows.length === 0) return;
    const columns = Math.max(...rows.map((r) => r.length));
    const header = rows[0];
    // A table without header text (a document's facts) draws no header row.
    const hasHeader = header.some((h) => h.trim() !== "");
    const body = rows.slice(1);
    const doc = this.doc;
    doc.fontSize(SIZE.small + 1);
    // Columns share the width by their longest text, each at least 12% of it.
    const longest = Array.from({ length: columns }, (_, c) => Math.max(4, ...rows.map((r) => Math.min(60, (r[c] ?? "").length))));
    const total = longest.reduce((a, b) => a + b, 0);
    const min = width * 0.12;
    let widths = longest.map((l) => Math.max(min, (l / total) * width));
    const scale = width / widths.reduce((a, b) => a + b, 0);
    widths = widths.map((w) => w * scale);
    const pad = 4;
    const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
      doc.font(bold ? "bold" : "body").fontSize(SIZE.small + 1);
      const height = Math.max(...widths.map((w, c) => doc.heightOfString(cells[c] ?? "", { width: w - 2 * pad, lineGap: 1 }))) + 2 * pad;
      if (doc.y + height > this.bottom) {
        doc.addPage();
        if (hasHeader && !bold) drawRow(header, true, true);
      }
      const y = doc.y;
      if (shade) doc.rect(x, y, width, height).fill(COLOR.head);
      let cx = x;
      widths.forEach((w, c) => {
        // A table without a header is label/value facts: the labels in bold.
        doc
          .font(bold || (!hasHeader && c === 0) ? "bold" : "body")
          .fillColor(COLOR.text)
          .text(cells[c] ?? "", cx + pad, y + pad, { width: w - 2 * pad, lineGap: 1 });
        cx += w;
      });
      doc
        .moveTo(x, y + height)
        .lineTo(x + width, y + height)
        .lineWidth(0.5)
        .strokeColor(COLOR.rule)
        .stroke();
      doc.y = y + height;
      doc.x = this.left;
    };
    this.ensure(40);
    const top = doc.y;
    doc
      .moveTo(x, top)
      .lineTo(x + width, top)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    if (hasHeader) drawRow(header, true, true);
    for (const r of body) drawRow(r, false, false);
    doc.font("body").fontSize(SIZE.body);
    this.gap(8);
  }

  figure(url: string, alt: string, x: number, width: number) {
    const key = url.startsWith("figure:") ? url.slice("figure:".length) : null;
    const figure = key ? this.options.figures?.[key] : undefined;
    if (!figure) {
      this.inline([{ type: "emphasis", children: [{ type: "text", value: `[image: ${alt}]` }] }], { x, width });
      return;
    }
    this.ensure(figure.height + 24);
    const box = { x, y: this.doc.y, width, height: figure.height };
    this.doc.save();
    figure.draw(this.doc, box);
    this.doc.restore();
    this.doc.font("body").fontSize(SIZE.body).fillColor(COLOR.text);
    this.doc.x = this.left;
    this.doc.y = box.y + box.height + 4;
    if (alt) this.inline([{ type: "text", value: alt }], { x, width, size: SIZE.small, color: COLOR.muted });
    this.gap(8);
  }

  block(node: RootContent, x = this.left, width = this.width) {
    const doc = this.doc;
    switch (node.type) {
      case "heading":
        this.heading(node.depth, node.children);
        break;
      case "paragraph": {
        const only = node.children.length === 1 ? node.children[0] : null;
        if (only?.type === "image") this.figure(only.url, only.alt ?? "", x, width);
        else {
          this.inline(node.children, { x, width });
          this.gap(5);
        }
        break;
      }
      case "list":
        this.list(node, x, width);
        this.gap(4);
        break;
      case "table":
        this.table(node, x, width);
        break;
      case "blockquote": {
        const top = doc.y;
        for (const child of node.children) this.block(child, x + 12, width - 12);
        doc
          .moveTo(x + 3, top)
          .lineTo(x + 3, doc.y - 4)
          .lineWidth(2)
          .strokeColor(COLOR.rule)
          .stroke();
        break;
      }
      case "code": {
        doc.font("mono").fontSize(SIZE.small + 0.5);
        const height = doc.heightOfString(node.value, { width: width - 12 }) + 10;
        this.ensure(Math.min(height, 200));
        const y = doc.y;
        doc.rect(x, y, width, Math.min(height, this.bottom - y)).fill(COLOR.code);
        doc.fillColor(COLOR.text).text(node.value, x + 6, y + 5, { width: width - 12 });
        doc.font("body").fontSize(SIZE.body);
        doc.x = this.left;
        this.gap(8);
        break;
      }
      case "thematicBreak": {
        this.gap(4);
        doc
          .moveTo(x, doc.y)
          .lineTo(x + width, doc.y)
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .stroke();
        this.gap(8);
        break;
      }
      case "html":
        this.inline([{ type: "text", value: node.value }], { x, width });
        this.gap(5);
        break;
      default:
        // Definitions, footnote definitions, yaml: nothing to draw.
        break;
    }
  }

  titlePage(title: string) {
    const doc = this.doc;
    const { subtitle, facts } = this.options;
    doc.y = A4.height * 0.28;
    doc.rect(this.left, doc.y - 18, 48, 4).fill(COLOR.accent);
    doc.font("bold").fontSize(SIZE.title).fillColor(COLOR.text).text(title, this.left, doc.y, { width: this.width, lineGap: 4 });
    if (subtitle) {
      doc.moveDown(0.5);
      doc.font("body").fontSize(SIZE.h3).fillColor(COLOR.muted).text(subtitle, { width: this.width });
    }
    if (facts && facts.length > 0) {
      doc.moveDown(2);
      for (const [label, value] of facts) {
        const y = doc.y;
        doc.font("bold").fontSize(SIZE.body).fillColor(COLOR.muted).text(label, this.left, y, { width: 130 });
        const after = doc.y;
        doc
          .font("body")
          .fillColor(COLOR.text)
          .text(value || "—", this.left + 140, y, { width: this.width - 140 });
        doc.y = Math.max(after, doc.y) + 4;
      }
    }
    doc.fillColor(COLOR.text).font("body").fontSize(SIZE.body);
    doc.addPage();
  }

  pageNumbers() {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Writing below the bottom margin would start a new page: lift the margin while the footer is drawn.
      const margin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font("body").fontSize(SIZE.small).fillColor(COLOR.muted);
      if (this.options.footer) doc.text(this.options.footer, this.left, FOOTER_Y, { width: this.width * 0.7, lineBreak: false });
      doc.text(`Page ${i + 1 - range.start} of ${range.count}`, this.left, FOOTER_Y, {
        width: this.width,
        align: "right",
        lineBreak: false,
      });
      doc.page.margins.bottom = margin;
    }
  }
}

/** The tree as a PDF: a title page, the content from page 2, page numbers on every page. */
export function renderPdf(tree: Root, options: PdfOptions = {}): Promise<Buffer> {
  const children = [...tree.children];
  let title = options.title;
  if (!title) {
    const first = children[0];
    title = first?.type === "heading" && first.depth === 1 ? plainText(first.children) : "Document";
  }
  // The title page carries the title: the same heading is not repeated on page 2.
  if (children[0]?.type === "heading" && children[0].depth === 1 && plainText(children[0].children) === title) children.shift();
  const writer = new Writer({ ...options, title });
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    writer.doc.on("data", (c: Buffer) => chunks.push(c));
    writer.doc.on("end", () => resolve(Buffer.concat(chunks)));
    writer.doc.on("error", reject);
    try {
      writer.titlePage(title);
      for (const node of children) writer.block(node);
      writer.pageNumbers();
      writer.doc.end();
    } catch (e) {
      reject(e);
    }
  });
}
