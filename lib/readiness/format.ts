// Words for readiness numbers: sizes and ages as people read them. Pure.
import { formatDuration } from "@/lib/metrics/format";

/** 2_100_000_000 → "2.1 GB"; 1536 → "1.5 KB" (powers of 1000, one decimal below 10). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** 11_520_000 ms → "3 h 12 min old". */
export function formatAge(ms: number): string {
  return `${formatDuration(Math.max(0, ms))} old`;
}

/** How long ago a check ran, for the panel: "14 s ago". */
export function formatAgo(ms: number): string {
  return ms < 1000 ? "just now" : `${formatDuration(ms)} ago`;
}
