// The time the domain rules read (checklist items that open 24 h after a rollback, due dates,
// metric evaluation). Production reads the system clock; tests set their own so time-locked rules
// can be exercised without waiting, and every mutation also takes an explicit `now`.
let source: (() => number) | null = null;

/**
 * A server that runs ahead of the wall clock by BACKOUT_CLOCK_OFFSET_MS (read once, at start): e2e
 * specs start a second server "days later" to see due dates pass. Unset everywhere else.
 */
const OFFSET_MS = clockOffset(process.env.BACKOUT_CLOCK_OFFSET_MS);

function clockOffset(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms)) throw new Error(`BACKOUT_CLOCK_OFFSET_MS must be a whole number of milliseconds (got "${raw}").`);
  return ms;
}

export function now(): Date {
  return new Date(source ? source() : Date.now() + OFFSET_MS);
}

/** Tests only: make now() return what `fn` returns (epoch ms); null restores the system clock. */
export function setClock(fn: (() => number) | null): void {
  source = fn;
}

/** Tests only: a clock fixed at `at` that `advance` moves forward. */
export function fixedClock(at: Date | number) {
  let t = typeof at === "number" ? at : at.getTime();
  setClock(() => t);
  return {
    advance(ms: number) {
      t += ms;
    },
    set(to: Date | number) {
      t = typeof to === "number" ? to : to.getTime();
    },
    restore() {
      setClock(null);
    },
  };
}
