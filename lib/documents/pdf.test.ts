// The PDF renderer read back by poppler: a title page with the title, headings, tables, lists,
// figures and page numbers as text; raw HTML and unsafe links stay inert text.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { inkShare, pdfPageCount, pdfPageImage, pdfText } from "@/lib/testing/pdf-tools";
import { bulletList, factsTable, heading, link, markdownDocument, paragraph, renderMarkdown, table, taskList } from "./markdown";
import { parseDocumentMarkdown, renderPdf } from "./pdf";

const tree = () =>
  markdownDocument([
    heading(1, "Quarterly → report"),
    heading(2, "Impact"),
    paragraph([
      "Error rate ≤ 5% after the switch. ",
      ...link("https://example.com/runbook", "Runbook"),
      " and ",
      ...link("javascript:alert(1)", "bad link"),
    ]),
    factsTable([
      ["Users affected", "1,800"],
      ["Support tickets", "not recorded"],
    ]),
    table(
      ["Time (UTC)", "Event", "Actor"],
      Array.from({ length: 70 }, (_, i) => [`2026-12-05 10:${String(i % 60).padStart(2, "0")}:00`, `Event number ${i + 1}`, "Remy"]),
    ),
    heading(2, "Lessons"),
    bulletList(["<script>alert(1)</script>", "Second lesson"]),
    taskList([
      { checked: true, content: "Done thing" },
      { checked: false, content: "Open thing" },
    ]),
    paragraph({ type: "image", url: "figure:chart", alt: "Error rate over the incident window" }),
    paragraph({ type: "image", url: "https://evil.example/x.png", alt: "remote image" }),
  ]);

describe("renderPdf", () => {
  it("draws a title page, headings, tables across pages, figures and page numbers", async () => {
    let drawn = 0;
    const pdf = await renderPdf(tree(), {
      subtitle: "INC-7 · checkout-service",
      facts: [["Prepared by", "Remy Responder"]],
      footer: "INC-7 root-cause analysis",
      figures: {
        chart: {
          height: 120,
          draw: (doc, box) => {
            drawn++;
            doc.rect(box.x, box.y, box.width, box.height).stroke();
          },
        },
      },
      createdAt: new Date("2026-12-05T10:00:00Z"),
    });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfText(pdf);
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const s of [
      "Quarterly → report",
      "INC-7 · checkout-service",
      "Prepared by",
      "Impact",
      "Lessons",
      "Event number 70",
      "≤ 5%",
      "not recorded",
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain("<script>alert(1)</script>"); // shown as text, never run
    expect(text).toContain("[image: remote image]"); // never fetched
    expect(text).toContain("Error rate over the incident window");
    expect(drawn).toBe(1);
    // The title is on page 1 only (not repeated as page 2's first heading).
    expect(text.split("Quarterly → report")).toHaveLength(2);
    // Only the http(s) link is a link annotation.
    const raw = pdf.toString("latin1");
    expect(raw).toContain("https://example.com/runbook");
    expect(raw).not.toMatch(/javascript:/i);
    expect(inflatedStreams(pdf).some((s) => /javascript:/i.test(s))).toBe(false);
    const page = pdfPageImage(pdf, 1);
    expect(inkShare(page, 0.2, 0.45)).toBeGreaterThan(0.005);
  });

  it("renders a stored document's Markdown parsed back (any document kind)", async () => {
    const md = renderMarkdown(tree());
    const pdf = await renderPdf(parseDocumentMarkdown(md));
    const text = pdfText(pdf);
    expect(text).toContain("Quarterly → report");
    expect(text).toContain("Event number 42");
    expect(text).toContain("Done thing");
  });
});

/** The page content streams, decompressed (pdfkit deflates them). */
function inflatedStreams(pdf: Buffer): string[] {
  const out: string[] = [];
  const raw = pdf.toString("latin1");
  const re = /stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf("endstream", start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {}
  }
  return out;
}
