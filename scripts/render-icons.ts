// Renders app/icon.svg into the raster icons Next.js serves by file convention: app/favicon.ico
// (/favicon.ico, which browsers ask for on their own) and app/apple-icon.png (home screens).
// Run after changing the SVG: npx tsx scripts/render-icons.ts (needs Chromium, as the e2e tests do).
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const svg = readFileSync("app/icon.svg", "utf8");

async function render(size: number, source = svg): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`,
    );
    return await page.screenshot({ omitBackground: true });
  } finally {
    await browser.close();
  }
}

/** An ICO file holding PNG images (every browser since IE's successors reads PNG entries). */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const sizes = [16, 32, 48];
const pngs = await Promise.all(sizes.map(async (size) => ({ size, png: await render(size) })));
writeFileSync("app/favicon.ico", ico(pngs));
// Square: iOS rounds the corners itself (transparent corners would turn black).
writeFileSync("app/apple-icon.png", await render(180, svg.replace(/ rx="\d+"/, "")));
console.log("wrote app/favicon.ico (16, 32, 48) and app/apple-icon.png (180)");
