// Runs `next start` as a child and stops it (by its own PID, not a wrapper's) with us.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "./postgres";

export function startNextServer(port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(PROJECT_ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}
