// Runs `prisma migrate deploy` through the project's wrapper (which supplies a schema engine
// that needs no download) against one database.
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "./postgres";

export function runPrismaCli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "tools/prisma-engine/prisma.mjs"), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  const { code, output } = await runPrismaCli(["migrate", "deploy"], { DATABASE_URL: databaseUrl });
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`);
}
