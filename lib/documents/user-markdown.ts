// What people write in a document's fields is Markdown, and it is shown formatted but inert.
// Parsed with micromark (GFM), then cleaned as a tree: raw HTML becomes its literal text, a link
// keeps its target only when it is http(s) or mailto, an image is never embedded (an http(s) one
// becomes a link to it, any other its alt text), reference definitions go. The same cleaned tree
// feeds the Markdown download (serialised, so the text is escaped), the PDF (drawn as text) and the
// page, where hast-util-sanitize (GitHub's allow-list) runs on the HTML tree as well. Pure.
import type { Element, Root as HastRoot } from "hast";
import { defaultSchema, type Schema, sanitize } from "hast-util-sanitize";
import type { Heading, Parents, PhrasingContent, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toHast } from "mdast-util-to-hast";
import { gfm } from "micromark-extension-gfm";
import { safeHttpUrl } from "./markdown";

/** The URL when it is http(s) or mailto; null for javascript:, data:, vbscript:, relative or malformed ones. */
export function safeLinkUrl(url: string): string | null {
  const http = safeHttpUrl(url);
  if (http) return http;
  return /^mailto:[^\s<>"]+@[^\s<>"]+$/i.test(url.trim()) ? url.trim() : null;
}

type Node = RootContent | PhrasingContent;

const BLOCK_PARENTS = new Set(["root", "blockquote", "listItem"]);

function clean(nodes: readonly Node[], minDepth: number, parent = "root"): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case "html":
        // An HTML block becomes a paragraph of its text; inline HTML, text.
        out.push(
          BLOCK_PARENTS.has(parent)
            ? { type: "paragraph", children: [{ type: "text", value: n.value }] }
            : { type: "text", value: n.value },
        );
        break;
      case "link": {
        const url = safeLinkUrl(n.url);
        const children = clean(n.children, minDepth, n.type) as PhrasingContent[];
        if (url) out.push({ ...n, url, title: null, children });
        else out.push(...children);
        break;
      }
      case "image": {
        const url = safeHttpUrl(n.url);
        const alt = n.alt || "image";
        out.push(url ? { type: "link", url, title: null, children: [{ type: "text", value: alt }] } : { type: "text", value: alt });
        break;
      }
      case "linkReference":
      case "imageReference":
        // Their definitions are dropped: what remains is the text.
        out.push(
          ...("children" in n ? (clean(n.children, minDepth) as PhrasingContent[]) : [{ type: "text" as const, value: n.alt ?? "" }]),
        );
        break;
      case "definition":
      case "footnoteDefinition":
      case "footnoteReference":
      case "yaml":
        break;
      case "heading": {
        // A heading inside a field sits below the document's own headings.
        const depth = Math.min(6, Math.max(minDepth, n.depth)) as Heading["depth"];
        out.push({ ...n, depth, children: clean(n.children, minDepth, n.type) as PhrasingContent[] });
        break;
      }
      default:
        if ("children" in n) out.push({ ...n, children: clean((n as Parents).children as Node[], minDepth, n.type) } as Node);
        else out.push(n);
    }
  }
  return out;
}

/** A person's Markdown as cleaned blocks; headings in it start at `minDepth`. */
export function userMarkdownBlocks(text: string, minDepth = 3): RootContent[] {
  const tree = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return clean(tree.children, minDepth) as RootContent[];
}

const SCHEMA: Schema = {
  ...defaultSchema,
  // No images at all, and links only to http(s) and mailto.
  tagNames: (defaultSchema.tagNames ?? []).filter((t) => t !== "img" && t !== "picture" && t !== "source"),
  protocols: { href: ["http", "https", "mailto"] },
};

/** The cleaned Markdown as a sanitised HTML tree (for the page); links open outside, without the opener. */
export function userMarkdownHast(text: string, minDepth = 3): HastRoot {
  const mdast: Root = { type: "root", children: userMarkdownBlocks(text, minDepth) };
  const hast = sanitize(toHast(mdast) as HastRoot, SCHEMA) as HastRoot;
  const walk = (node: HastRoot | Element) => {
    for (const child of node.children) {
      if (child.type !== "element") continue;
      if (child.tagName === "a") child.properties = { ...child.properties, rel: ["noopener", "noreferrer", "nofollow"], target: "_blank" };
      walk(child);
    }
  };
  walk(hast);
  return hast;
}
