// Process checks for tests that kill servers and process groups.
import { readFileSync } from "node:fs";

/** Alive = exists and is not a zombie (a killed orphan may wait a moment for PID 1 to reap it). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
