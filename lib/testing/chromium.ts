// Where Debian's Chromium is, for Playwright (its own browser download cannot run here). Used by
// playwright.config.ts and by the check `npm test` makes before it starts.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** CHROMIUM_PATH, else `chromium` on the PATH (Debian's package); null when neither is there. */
export function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : null;
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}
