// The time the domain rules read (checklist items that open 24 h after a rollback, due dates,
// metric evaluation). Production reads the system clock; tests set their own so time-locked rules
// can be exercised without waiting, and every mutation also takes an explicit `now`.
let source: (() => number) | null = null;

export function now(): Date {
  return new Date(source ? source() : Date.now());
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
