// The builder against hostile user text: the output is parsed back by a GFM parser, and the user's
// text must come back as text — no HTML, no links, no emphasis, no extra table cells or rows.
import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import {
  bulletList,
  emphasis,
  factsList,
  factsTable,
  heading,
  link,
  markdownDocument,
  orderedList,
  paragraph,
  renderMarkdown,
  safeHttpUrl,
  strong,
  table,
  taskList,
} from "./markdown";

const parse = (md: string): Root => fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

function walk(node: Nodes, out: Nodes[] = []): Nodes[] {
  out.push(node);
  if ("children" in node) for (const c of node.children) walk(c as Nodes, out);
  return out;
}
const textOf = (node: Nodes): string =>
  node.type === "text" ? node.value : "children" in node ? node.children.map((c) => textOf(c as Nodes)).join("") : "";
/**
 * The node types in the tree, with GFM's autolinks of a URL written out in the text (the one link
 * plain text can make: http(s), www or e-mail, its target the very text shown) counted as text.
 */
function types(tree: Root): Set<string> {
  return new Set(
    walk(tree).map((n) => {
      if (n.type !== "link") return n.type;
      const shown = textOf(n);
      const isAutolink = n.url === shown || n.url === `http://${shown}` || n.url === `mailto:${shown}`;
      return isAutolink && /^(https?|mailto):/.test(n.url) ? "text" : "link";
    }),
  );
}

const HOSTILE = [
  "a | b",
  "*bold* _em_ **x** ~~gone~~",
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "[click](javascript:alert(1))",
  "![img](http://evil.example/x.png)",
  "`code` and ``double``",
  "# not a heading",
  "1. not a list",
  "- not a bullet",
  "> not a quote",
  "[ ] not a task",
  "&lt;entity&gt; &amp;",
  "trailing backslash \\",
  "[ref]: http://evil.example",
];

describe("the Markdown builder", () => {
  it("keeps hostile text as text in paragraphs, headings and lists", () => {
    for (const text of HOSTILE) {
      const tree = parse(renderMarkdown(markdownDocument([heading(2, text), paragraph(text), bulletList([text]), orderedList([text])])));
      expect([...types(tree)].sort(), text).toEqual(["heading", "list", "listItem", "paragraph", "root", "text"]);
      const [h, p, ul, ol] = tree.children;
      expect(textOf(h), text).toBe(text);
      expect(textOf(p), text).toBe(text);
      expect(textOf(ul), text).toBe(text);
      expect(textOf(ol), text).toBe(text);
    }
  });

  it("keeps table cells in their column: pipes, newlines and HTML in a cell stay in that cell", () => {
    const rows = HOSTILE.map((t, i) => [String(i), t, `${t}\nsecond line\r\nthird`]);
    const tree = parse(renderMarkdown(markdownDocument([table(["#", "Text", "Multi-line"], rows)])));
    expect([...types(tree)].sort()).toEqual(["root", "table", "tableCell", "tableRow", "text"]);
    const [t] = tree.children;
    if (t.type !== "table") throw new Error("not a table");
    expect(t.children).toHaveLength(HOSTILE.length + 1);
    t.children.slice(1).forEach((r, i) => {
      expect(r.children.map(textOf)).toEqual([String(i), HOSTILE[i], `${HOSTILE[i]} second line third`]);
    });
  });

  it("pads short rows and cuts long ones to the header's width", () => {
    const md = renderMarkdown(markdownDocument([table(["A", "B"], [["1"], ["1", "2", "3"]])]));
    expect(md).toBe("| A | B |\n| - | - |\n| 1 | |\n| 1 | 2 |\n");
  });

  it("turns a newline in a heading into a space, not a setext heading or a new paragraph", () => {
    const md = renderMarkdown(markdownDocument([heading(1, "Title\n===\nmore")]));
    const tree = parse(md);
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]).toMatchObject({ type: "heading", depth: 1 });
    expect(textOf(tree.children[0])).toBe("Title === more");
  });

  it("links only to http(s) targets; other targets stay plain text", () => {
    expect(safeHttpUrl("https://grafana.example/d/x?a=1")).toBe("https://grafana.example/d/x?a=1");
    for (const bad of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "data:text/html,<script>",
      "/relative",
      "vbscript:x",
      "not a url",
      "file:///etc/passwd",
    ]) {
      expect(safeHttpUrl(bad), bad).toBeNull();
    }
    const tree = parse(
      renderMarkdown(
        markdownDocument([
          paragraph([...link("https://runbooks.example/a b)c", "the runbook"), " and ", ...link("javascript:alert(1)", "evil")]),
          paragraph(link("data:text/html;base64,PHNjcmlwdD4=", "")),
        ]),
      ),
    );
    const links = walk(tree).filter((n) => n.type === "link");
    expect(links.map((l) => (l.type === "link" ? [l.url, textOf(l)] : []))).toEqual([["https://runbooks.example/a%20b)c", "the runbook"]]);
    expect(textOf(tree.children[0])).toBe("the runbook and evil");
    expect(textOf(tree.children[1])).toBe("data:text/html;base64,PHNjcmlwdD4=");
  });

  it("renders strong, emphasis, task lists and facts as the documents use them", () => {
    const md = renderMarkdown(
      markdownDocument([
        factsTable([
          ["Status", "Failed"],
          ["Reason | given", "a | b"],
        ]),
        factsList([["Service", "checkout"]]),
        orderedList([[strong("Notify *now*"), " — skipped: ", emphasis("webhook_down")]], 2),
        taskList([
          { checked: false, content: "[x] Record the RCA" },
          { checked: true, content: "Done" },
        ]),
      ]),
    );
    expect(md).toContain("| Status | Failed |");
    expect(md).toContain("| Reason \\| given | a \\| b |");
    expect(md).toContain("- Service: checkout");
    expect(md).toContain("2. **Notify \\*now\\*** — skipped: _webhook_down_");
    expect(md).toContain("- [ ] \\[x] Record the RCA");
    expect(md).toContain("- [x] Done");
    const tasks = walk(parse(md)).filter((n) => n.type === "listItem" && n.checked !== null && n.checked !== undefined);
    expect(tasks.map((t) => (t.type === "listItem" ? [t.checked, textOf(t)] : []))).toEqual([
      [false, "[x] Record the RCA"],
      [true, "Done"],
    ]);
  });

  it("leaves out empty blocks and keeps a URL or an e-mail address in text readable", () => {
    const md = renderMarkdown(markdownDocument([paragraph("Prometheus at http://prom:9090 for ops@example.com"), null, false, []]));
    expect(md).toBe("Prometheus at http://prom:9090 for ops@example.com\n");
  });
});
