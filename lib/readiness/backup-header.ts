// The latest backup as the restore runbook's check-backup step names it, read without restoring
// anything and without contacting any database: the file's size and age, and the first bytes of
// the archive — the header pg_dump writes (magic "PGDMP", archive version, format, database name,
// pg_dump's version). Never pg_restore, never the whole file.
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";

/** pg_dump's header is well under this; nothing past it is read. */
export const HEADER_BYTES = 4096;

export type DumpHeader = {
  archiveVersion: string;
  format: "custom" | "directory" | "tar" | "unknown";
  database: string | null;
  dumpVersion: string | null;
};

const FORMATS: Record<number, DumpHeader["format"]> = { 1: "custom", 3: "tar", 5: "directory" };

/**
 * Parses the header of a pg_dump archive (custom format, or a directory dump's toc.dat), as
 * pg_backup_archiver.c's ReadHead writes it. null when the bytes are not a pg_dump archive.
 */
export function parseDumpHeader(bytes: Uint8Array): DumpHeader | null {
  if (bytes.length < 11 || Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "PGDMP") return null;
  const vmaj = bytes[5];
  const vmin = bytes[6];
  const vrev = bytes[7];
  const intSize = bytes[8];
  let at = 9;
  const atLeast = (min: number) => vmaj > 1 || (vmaj === 1 && vmin >= min);
  if (atLeast(7)) at++; // offSize
  const format = FORMATS[bytes[at++]] ?? "unknown";
  const header: DumpHeader = { archiveVersion: `${vmaj}.${vmin}.${vrev}`, format, database: null, dumpVersion: null };
  if (intSize < 1 || intSize > 8) return header;
  // ReadInt: a sign byte, then intSize bytes, least significant first.
  const readInt = (): number | null => {
    if (at + 1 + intSize > bytes.length) return null;
    const negative = bytes[at] !== 0;
    let value = 0;
    for (let i = 0; i < intSize; i++) value += bytes[at + 1 + i] * 2 ** (8 * i);
    at += 1 + intSize;
    return negative ? -value : value;
  };
  const readStr = (): string | null => {
    const length = readInt();
    if (length === null || length < 0 || at + length > bytes.length) return null;
    const text = Buffer.from(bytes.subarray(at, at + length)).toString("utf8");
    at += length;
    return text;
  };
  if (atLeast(15))
    at++; // compression algorithm
  else if (readInt() === null) return header; // compression level
  if (atLeast(4)) for (let i = 0; i < 7; i++) if (readInt() === null) return header; // creation time (struct tm)
  header.database = readStr();
  if (atLeast(10)) {
    readStr(); // the server's version
    header.dumpVersion = readStr();
  }
  return header;
}

export type BackupFile = { path: string; bytes: number; modifiedAt: Date; header: DumpHeader | null };

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The backup at `configured`: that file, a directory-format dump (its toc.dat), or — for a folder
 * of backups — the newest file in it. A string saying what is missing when there is none.
 */
export async function findLatestBackup(configured: string): Promise<BackupFile | string> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(configured);
  } catch {
    return `no backup at ${configured}`;
  }
  if (s.isFile()) return { path: configured, bytes: s.size, modifiedAt: s.mtime, header: parseDumpHeader(await readHead(configured)) };
  if (!s.isDirectory()) return `${configured} is neither a file nor a folder`;
  const toc = path.join(configured, "toc.dat");
  const tocStat = await stat(toc).catch(() => null);
  if (tocStat?.isFile()) {
    // A directory-format dump: its size is the folder's files, its age the table of contents'.
    let bytes = 0;
    for (const entry of await readdir(configured, { withFileTypes: true })) {
      if (entry.isFile()) bytes += (await stat(path.join(configured, entry.name))).size;
    }
    return { path: configured, bytes, modifiedAt: tocStat.mtime, header: parseDumpHeader(await readHead(toc)) };
  }
  let newest: { file: string; mtime: Date; size: number } | null = null;
  for (const entry of await readdir(configured, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith(".")) continue;
    const file = path.join(configured, entry.name);
    const f = await stat(file);
    if (!newest || f.mtime > newest.mtime) newest = { file, mtime: f.mtime, size: f.size };
  }
  if (!newest) return `no backup in ${configured} (the folder is empty)`;
  return { path: newest.file, bytes: newest.size, modifiedAt: newest.mtime, header: parseDumpHeader(await readHead(newest.file)) };
}
