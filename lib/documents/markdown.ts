// The one Markdown builder for documents. A document is built as an mdast tree and serialised by
// mdast-util-to-markdown, so user text is only ever a text node: the serialiser escapes whatever
// would read as Markdown or HTML (emphasis, links, pipes in table cells, `<script>`, backticks),
// and the builder has no way to emit raw HTML. Links are made only for http(s) targets. Pure.
import type { Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from "mdast";
import { gfmStrikethroughToMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmTableToMarkdown } from "mdast-util-gfm-table";
import { gfmTaskListItemToMarkdown } from "mdast-util-gfm-task-list-item";
import { type Options, toMarkdown } from "mdast-util-to-markdown";

/** Inline content: a string is text (escaped on output); nodes come from the helpers below. */
export type Inline = string | PhrasingContent;
type Inlines = Inline | readonly Inline[];
export type Block = RootContent;

function phrasing(content: Inlines): PhrasingContent[] {
  const list = typeof content === "string" || !Array.isArray(content) ? [content as Inline] : (content as readonly Inline[]);
  return list.filter((c) => c !== "").map((c) => (typeof c === "string" ? { type: "text", value: c } : c));
}

/** Headings and table cells are one line: a line break there would end them (or turn a heading into a setext one). */
function oneLine(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.map((n) => {
    if (n.type === "text") return { ...n, value: n.value.replace(/\s+/g, " ") };
    if (n.type === "break") return { type: "text", value: " " };
    if ("children" in n) return { ...n, children: oneLine(n.children as PhrasingContent[]) } as PhrasingContent;
    return n;
  });
}

export const strong = (content: Inlines): PhrasingContent => ({ type: "strong", children: phrasing(content) });
export const emphasis = (content: Inlines): PhrasingContent => ({ type: "emphasis", children: phrasing(content) });

/** The URL if it is an absolute http(s) URL, else null (javascript:, data:, relative, malformed). */
export function safeHttpUrl(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link when the target is http(s); anything else stays plain text (the label, then the target). */
export function link(url: string, label: Inlines): PhrasingContent[] {
  const href = safeHttpUrl(url);
  const children = phrasing(label);
  if (href) return [{ type: "link", url: href, children: children.length > 0 ? children : [{ type: "text", value: href }] }];
  return children.length > 0 ? children : [{ type: "text", value: url }];
}

export const heading = (depth: 1 | 2 | 3 | 4, content: Inlines): Heading => ({
  type: "heading",
  depth,
  children: oneLine(phrasing(content)),
});

export const paragraph = (content: Inlines): Paragraph => ({ type: "paragraph", children: phrasing(content) });

function item(content: Inlines, checked?: boolean): ListItem {
  return { type: "listItem", spread: false, ...(checked === undefined ? {} : { checked }), children: [paragraph(content)] };
}

export const bulletList = (items: readonly Inlines[]): List => ({
  type: "list",
  ordered: false,
  spread: false,
  children: items.map((i) => item(i)),
});

export const orderedList = (items: readonly Inlines[], start = 1): List => ({
  type: "list",
  ordered: true,
  start,
  spread: false,
  children: items.map((i) => item(i)),
});

/** A checklist ("- [ ] …"): the box is structure, so a user's "[x]" in the text stays text. */
export const taskList = (items: readonly { checked: boolean; content: Inlines }[]): List => ({
  type: "list",
  ordered: false,
  spread: false,
  children: items.map((i) => item(i.content, i.checked)),
});

const cell = (content: Inlines): TableCell => ({ type: "tableCell", children: oneLine(phrasing(content)) });
const row = (cells: readonly Inlines[]): TableRow => ({ type: "tableRow", children: cells.map(cell) });

/** A table; every row is padded or cut to the header's width so a short row cannot shift columns. */
export function table(header: readonly Inlines[], rows: readonly (readonly Inlines[])[]): Table {
  const width = header.length;
  const padded = (r: readonly Inlines[]) => Array.from({ length: width }, (_, i) => r[i] ?? "");
  return { type: "table", align: header.map(() => null), children: [row(header), ...rows.map((r) => row(padded(r)))] };
}

export type Fact = readonly [label: string, value: Inlines];

/** Label/value facts as a two-column table without a header (a document's key facts). */
export const factsTable = (facts: readonly Fact[]): Table => table(["", ""], facts);

/** Label/value facts as a list ("- Label: value"). */
export const factsList = (facts: readonly Fact[]): List => bulletList(facts.map(([label, value]) => [`${label}: `, ...phrasing(value)]));

export const markdownDocument = (children: readonly (Block | readonly Block[] | null | false)[]): Root => ({
  type: "root",
  children: children.flatMap((c) => (c ? (Array.isArray(c) ? (c as Block[]) : [c as Block]) : [])),
});

// GFM's autolink-literal extension is left out on purpose: it would escape every "http://" and "@"
// in plain text ("http\://…") to keep GFM from linking them, and the only links GFM makes from
// plain text are http(s), www and e-mail ones, which this builder's link rule allows anyway.
const OPTIONS: Options = {
  extensions: [gfmTableToMarkdown({ tablePipeAlign: false }), gfmTaskListItemToMarkdown(), gfmStrikethroughToMarkdown()],
  bullet: "-",
  listItemIndent: "one",
  emphasis: "_",
  strong: "*",
  rule: "-",
  fences: true,
};

export function renderMarkdown(tree: Root): string {
  return toMarkdown(tree, OPTIONS);
}
