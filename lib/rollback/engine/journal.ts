// The worker's local journal of finished steps: written the moment an executor returns, removed
// once its result is stored. If the server dies in between, recovery on this host reads it and the
// INTERRUPTED step says how it had ended ("finished with exit code 0 at …, result not recorded")
// instead of leaving the operator to guess whether it ran.
import "server-only";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export type JournalEntry = { ok: boolean; summary: string; exitCode: number | null; finishedAt: string };

export function journalDir(): string {
  return process.env.BACKOUT_STEP_JOURNAL_DIR ?? path.resolve(".data/step-journal");
}

const fileOf = (dir: string, executionId: string) => path.join(dir, `${executionId.replace(/[^\w-]/g, "_")}.json`);

/** Best effort: a journal that cannot be written leaves recovery as it was, never the step. */
export async function writeJournal(dir: string, executionId: string, entry: JournalEntry): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const file = fileOf(dir, executionId);
    await writeFile(`${file}.tmp`, JSON.stringify(entry));
    await rename(`${file}.tmp`, file);
  } catch (e) {
    console.error(`[journal] could not write ${executionId}:`, e instanceof Error ? e.message : e);
  }
}

export async function readJournal(dir: string, executionId: string): Promise<JournalEntry | null> {
  try {
    return JSON.parse(await readFile(fileOf(dir, executionId), "utf8")) as JournalEntry;
  } catch {
    return null;
  }
}

export async function removeJournal(dir: string, executionId: string): Promise<void> {
  await rm(fileOf(dir, executionId), { force: true }).catch(() => undefined);
}

/** What an INTERRUPTED step says about an attempt that had finished before its worker died. */
export function journalNote(entry: JournalEntry): string {
  const how =
    entry.exitCode !== null ? `with exit code ${entry.exitCode}` : entry.ok ? "successfully" : `unsuccessfully (${entry.summary})`;
  return `it had finished ${how} at ${entry.finishedAt} but its result was not recorded`;
}
