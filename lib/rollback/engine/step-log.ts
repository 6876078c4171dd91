// A step's output lines on their way to StepLogLine: kept in order and written in batches; a batch
// the database refuses stays in the buffer and is tried again with back-off, so a short outage
// loses nothing. Only when the buffer is full are lines given up, and the place where they are
// missing is then marked in the output itself ("[N output lines could not be stored …]").
import "server-only";
import type { LogStream } from "@/generated/prisma/enums";
import type { Db } from "@/lib/db";
import { backOffDelay } from "@/lib/db-retry";

type Line = { stream: LogStream; line: string; ts: Date };
/** Lines given up, where they would have been. */
type Gap = { gap: number; ts: Date };

/** Lines held while the database does not answer (at most ~8 KB each). */
export const MAX_PENDING_LINES = 5000;
const BATCH = 500;
const MAX_LINE_CHARS = 8000;

export const gapLine = (n: number) =>
  `[${n} output line${n === 1 ? "" : "s"} could not be stored here: the database was unreachable and the buffer was full]`;

export class StepLogBuffer {
  private pending: (Line | Gap)[] = [];
  private lines = 0;
  private writes: Promise<void> = Promise.resolve();
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly db: Db,
    private readonly ids: { stepId: string; executionId: string },
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  push(stream: LogStream, line: string, ts = new Date()): void {
    if (this.lines < MAX_PENDING_LINES) {
      this.pending.push({ stream, line, ts });
      this.lines++;
      return;
    }
    // Full: the newest lines are given up, so the gap sits exactly where they belong.
    const last = this.pending.at(-1);
    if (last && "gap" in last) last.gap++;
    else this.pending.push({ gap: 1, ts });
  }

  get size(): number {
    return this.pending.length;
  }

  /** Writes what is buffered (unless a failed write is still backing off); resolves when this attempt is done. */
  flush(): Promise<void> {
    this.writes = this.writes.then(async () => {
      while (this.pending.length > 0 && Date.now() >= this.retryAt) {
        const batch = this.pending.slice(0, BATCH);
        try {
          await this.db.stepLogLine.createMany({
            data: batch.map((l) => ({
              ...this.ids,
              stream: "gap" in l ? ("INFO" as const) : l.stream,
              line: "gap" in l ? gapLine(l.gap) : l.line.slice(0, MAX_LINE_CHARS),
              ts: l.ts,
            })),
          });
          this.pending.splice(0, batch.length);
          this.lines -= batch.filter((l) => !("gap" in l)).length;
          this.failures = 0;
          this.retryAt = 0;
        } catch (e) {
          this.failures++;
          this.retryAt = Date.now() + backOffDelay(this.failures);
          this.onError(e);
        }
      }
    });
    return this.writes;
  }

  /** Writes everything buffered, waiting out the database for as long as it takes. */
  async drain(): Promise<void> {
    for (;;) {
      await this.flush();
      if (this.pending.length === 0) return;
      await new Promise((r) => setTimeout(r, Math.max(50, this.retryAt - Date.now())));
    }
  }
}
