// `next build` when there is no build yet or the sources changed since the last one.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./postgres";

const SOURCE_DIRS = ["app", "components", "lib", "public", "generated"];
const SOURCE_FILES = ["package.json", "next.config.ts", "proxy.ts", "postcss.config.mjs", "tsconfig.json"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function isBuildStale(): boolean {
  const buildId = path.join(PROJECT_ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestMtime(path.join(PROJECT_ROOT, p)));
  return Math.max(...sources) > built;
}

export function buildIfNeeded(log: (line: string) => void): void {
  if (!isBuildStale()) return;
  log("building the app (next build) — the first start takes a few minutes…");
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
}
