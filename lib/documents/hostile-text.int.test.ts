// Downloaded documents keep what people typed as text: a decision reason and a checklist note
// holding raw HTML and a javascript: link come out of the stored Markdown (what
// GET /api/documents/:id/markdown sends, byte for byte) inert. Real documents, written by the
// app's own code against a real database, parsed back with a GFM parser.
import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { renderVerificationReport, startVerification, updateChecklistItem } from "@/lib/checklist/mutations";
import { getChecklistView } from "@/lib/checklist/queries";
import { ensureRollbackSummary } from "@/lib/rollback/summary/generate";
import { makeUser } from "@/lib/testing/factories";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { getDocumentVersion } from "./queries";

const HOSTILE = `<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(2)">`;

function nodes(node: Nodes, out: Nodes[] = []): Nodes[] {
  out.push(node);
  if ("children" in node) for (const c of node.children) nodes(c as Nodes, out);
  return out;
}

/** Parsed as a GFM renderer would: no HTML node, no link but http(s), and the hostile text still there as text. */
function expectInert(markdown: string) {
  const tree: Root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const all = nodes(tree);
  expect(all.filter((n) => n.type === "html")).toEqual([]);
  for (const n of all) if (n.type === "link" || n.type === "image" || n.type === "definition") expect(n.url).toMatch(/^https?:\/\//);
  const text = all.map((n) => (n.type === "text" ? n.value : "")).join("");
  expect(text).toContain(HOSTILE);
}

describe("downloaded Markdown keeps user text inert", () => {
  it("a decision reason with raw HTML and a javascript: link, in the rollback summary", async () => {
    const fixture = await makeRolledBackIncident({ reason: HOSTILE });
    const summary = await ensureRollbackSummary(fixture.run.id);
    expect(summary).not.toBeNull();
    const read = await getDocumentVersion(summary!.documentId);
    expect(read!.version.markdown).toContain("\\<script>alert(1)\\</script>");
    expectInert(read!.version.markdown);
  });

  it("a checklist note with raw HTML and a javascript: link, in the verification report", async () => {
    const fixture = await makeRolledBackIncident();
    const responder = await makeUser("RESPONDER");
    await startVerification(responder, { incidentId: fixture.incident.id });
    const item = (await getChecklistView(fixture.incident.id))!.items[0];
    await updateChecklistItem(responder, { itemId: item.id, version: item.version, status: "PASSED", note: HOSTILE });
    const report = await renderVerificationReport(responder, { incidentId: fixture.incident.id });
    const read = await getDocumentVersion(report.documentId);
    expectInert(read!.version.markdown);
  });
});
