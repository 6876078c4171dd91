// Types of pool.mjs.

export type Lease = { release: () => void; waitedMs: number };

export class PoolTimeoutError extends Error {
  constructor(waitedMs: number, size: number);
  waitedMs: number;
}

export class ConnectionPool {
  constructor(options: { size: number; acquireTimeoutMs: number; order?: "lifo" | "fifo" });
  readonly size: number;
  readonly acquireTimeoutMs: number;
  readonly order: "lifo" | "fifo";
  inUse: number;
  acquire(): Promise<Lease>;
  snapshot(): {
    size: number;
    inUse: number;
    waiting: number;
    order: "lifo" | "fifo";
    acquired: number;
    timeouts: number;
    maxWaiting: number;
  };
}
