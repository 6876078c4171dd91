import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HOSTILE_MARKDOWN as HOSTILE, LIVE_HTML, RAW_HTML_IN_MARKDOWN } from "@/lib/testing/hostile-markdown";
import { markdownDocument, renderMarkdown } from "./markdown";
import { safeLinkUrl, userMarkdownBlocks, userMarkdownHast } from "./user-markdown";

describe("user Markdown", () => {
  it("keeps formatting and safe links, and turns HTML, script and unsafe URLs into inert text (page)", () => {
    const html = renderToStaticMarkup(toJsxRuntime(userMarkdownHast(HOSTILE), { Fragment, jsx, jsxs }));
    expect(html).toContain('<a href="https://example.com/ok"');
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toMatch(LIVE_HTML);
    expect(html).not.toMatch(/<[^>]+\ssrc=/i);
    expect(html).toContain("&lt;script&gt;alert"); // shown as text
  });

  it("stays inert in the Markdown download: no raw HTML, no javascript: or data: link survives", () => {
    const md = renderMarkdown(markdownDocument(userMarkdownBlocks(HOSTILE)));
    expect(md).not.toMatch(/\]\((javascript|data):/i);
    expect(md).not.toMatch(RAW_HTML_IN_MARKDOWN);
    expect(md).toContain("[ok](https://example.com/ok)");
    // Read back as Markdown, the download holds no HTML node and no unsafe link.
    const again = userMarkdownBlocks(md);
    const walk = (nodes: unknown[]): string[] =>
      nodes.flatMap((n) => {
        const node = n as { type: string; url?: string; children?: unknown[] };
        return [node.type === "html" ? "html" : node.url ? `url:${node.url}` : "", ...(node.children ? walk(node.children) : [])];
      });
    const kinds = walk(again).filter(Boolean);
    expect(kinds).toEqual(["url:https://example.com/ok"]);
  });

  it("moves a field's headings below the document's own", () => {
    const [h] = userMarkdownBlocks("# Big\ntext", 4);
    expect(h).toMatchObject({ type: "heading", depth: 4 });
  });

  it("allows http(s) and mailto links only", () => {
    expect(safeLinkUrl("mailto:a@b.example")).toBe("mailto:a@b.example");
    for (const bad of ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x", "/relative", "//evil.example"]) {
      expect(safeLinkUrl(bad)).toBeNull();
    }
  });
});
