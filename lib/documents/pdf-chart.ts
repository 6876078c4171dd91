// A document chart (chart.ts) as a PDF figure: the same geometry drawn as vectors.
import "server-only";
import { type ChartInput, chartGeometry } from "./chart";
import type { PdfFigure } from "./pdf";

const COLORS = { axis: "#9ca3af", grid: "#e5e7eb", line: "#1f3a8a", baseline: "#059669", marker: "#b45309", text: "#4b5563" };

export function chartFigure(chart: ChartInput, height = 150): PdfFigure {
  return {
    height,
    draw(doc, box) {
      const g = chartGeometry(chart, box.width, box.height);
      const px = (x: number) => box.x + x;
      const py = (y: number) => box.y + y;
      doc.fontSize(7).font("body");
      for (const t of g.yTicks) {
        doc
          .moveTo(px(g.plot.x), py(t.y))
          .lineTo(px(g.plot.x + g.plot.width), py(t.y))
          .lineWidth(0.4)
          .strokeColor(COLORS.grid)
          .stroke();
        doc.fillColor(COLORS.text).text(t.label, px(0), py(t.y) - 4, { width: g.plot.x - 6, align: "right", lineBreak: false });
      }
      for (const t of g.xTicks) {
        doc
          .fillColor(COLORS.text)
          .text(t.label, px(t.x) - 20, py(g.plot.y + g.plot.height) + 5, { width: 40, align: "center", lineBreak: false });
      }
      doc.rect(px(g.plot.x), py(g.plot.y), g.plot.width, g.plot.height).lineWidth(0.5).strokeColor(COLORS.axis).stroke();
      for (const m of g.markers) {
        doc
          .moveTo(px(m.x), py(g.plot.y))
          .lineTo(px(m.x), py(g.plot.y + g.plot.height))
          .lineWidth(0.6)
          .strokeColor(COLORS.marker)
          .stroke();
        // Near the right edge the label goes to the left of its line.
        const right = m.x > g.plot.x + g.plot.width - 124;
        doc.fillColor(COLORS.marker).text(m.label, right ? px(m.x) - 122 : px(m.x) + 2, py(g.plot.y) + 2, {
          width: 120,
          align: right ? "right" : "left",
          lineBreak: false,
        });
      }
      if (g.baselineY !== null) {
        doc
          .moveTo(px(g.plot.x), py(g.baselineY))
          .lineTo(px(g.plot.x + g.plot.width), py(g.baselineY))
          .dash(3, { space: 2 })
          .lineWidth(0.8)
          .strokeColor(COLORS.baseline)
          .stroke();
        doc.undash();
      }
      if (g.line.length > 1) {
        doc.moveTo(px(g.line[0][0]), py(g.line[0][1]));
        for (const [x, y] of g.line.slice(1)) doc.lineTo(px(x), py(y));
        doc.lineWidth(1.1).strokeColor(COLORS.line).stroke();
      }
    },
  };
}
