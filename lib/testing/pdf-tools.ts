// Reading a PDF the way a person would, with poppler's command-line tools (npm test installs
// poppler-utils with the other Debian requirements): its text (pdftotext) and a page as pixels
// (pdftoppm), for tests of the documents' PDFs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function withFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), "backout-pdf-"));
  try {
    const file = path.join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    return fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text in reading order (pdftotext -layout). */
export function pdfText(pdf: Buffer): string {
  return withFile(pdf, (file) => execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }));
}

/** How many pages the PDF has (pdfinfo). */
export function pdfPageCount(pdf: Buffer): number {
  const info = withFile(pdf, (file) => execFileSync("pdfinfo", [file], { encoding: "utf8" }));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}

export type GrayPage = { width: number; height: number; pixels: Uint8Array; png: Buffer };

/** One page as 8-bit gray pixels (pdftoppm's PGM) and as a PNG to keep. */
export function pdfPageImage(pdf: Buffer, page = 1, dpi = 60): GrayPage {
  return withFile(pdf, (file, dir) => {
    const args = ["-f", String(page), "-l", String(page), "-r", String(dpi), "-singlefile"];
    execFileSync("pdftoppm", [...args, "-gray", file, path.join(dir, "page")]);
    execFileSync("pdftoppm", [...args, "-png", file, path.join(dir, "page")]);
    const pgm = readFileSync(path.join(dir, "page.pgm"));
    // "P5\n<width> <height>\n<max>\n" then one byte a pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString("latin1"));
    if (!header) throw new Error("pdftoppm did not write a PGM image");
    const [, w, h] = header;
    return {
      width: Number(w),
      height: Number(h),
      pixels: new Uint8Array(pgm.subarray(header[0].length)),
      png: readFileSync(path.join(dir, "page.png")),
    };
  });
}

/** The share of pixels that are not white in a band of rows (0..1 of the height). */
export function inkShare(page: GrayPage, fromRow = 0, toRow = 1): number {
  const start = Math.floor(page.height * fromRow) * page.width;
  const end = Math.floor(page.height * toRow) * page.width;
  let ink = 0;
  for (let i = start; i < end; i++) if (page.pixels[i] < 200) ink++;
  return ink / Math.max(1, end - start);
}
