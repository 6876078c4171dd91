// A small in-process connection pool: `size` slots and a queue of waiters with an acquire
// timeout, like a database driver's pool. Waiters are served newest-first (a stack): under
// sustained overload the newest requests still get connections quickly while the oldest waiters
// reach the timeout, which is what gives "most requests fine, some fail slowly".

export class PoolTimeoutError extends Error {
  /** @param {number} waitedMs @param {number} size */
  constructor(waitedMs, size) {
    super(`timed out after ${Math.round(waitedMs)} ms waiting for a database connection (pool of ${size}, all busy)`);
    this.name = "PoolTimeoutError";
    this.waitedMs = waitedMs;
  }
}

/** @typedef {{ release: () => void, waitedMs: number }} Lease */
/** @typedef {{ since: number, resolve: (lease: Lease) => void, timer: NodeJS.Timeout }} Waiter */

export class ConnectionPool {
  /** @param {{ size: number, acquireTimeoutMs: number, order?: "lifo" | "fifo" }} options */
  constructor({ size, acquireTimeoutMs, order = "lifo" }) {
    this.size = size;
    this.acquireTimeoutMs = acquireTimeoutMs;
    this.order = order;
    this.inUse = 0;
    /** @type {Waiter[]} */
    this.waiters = [];
    this.stats = { acquired: 0, timeouts: 0, maxWaiting: 0 };
  }

  /**
   * Resolves with a lease once a connection is free; rejects with PoolTimeoutError after the acquire timeout.
   * @returns {Promise<Lease>}
   */
  acquire() {
    const since = performance.now();
    if (this.inUse < this.size && this.waiters.length === 0) {
      this.inUse++;
      this.stats.acquired++;
      return Promise.resolve(this.#lease(since));
    }
    return new Promise((resolve, reject) => {
      /** @type {Waiter} */
      const waiter = {
        since,
        resolve,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          this.stats.timeouts++;
          reject(new PoolTimeoutError(performance.now() - since, this.size));
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
      this.stats.maxWaiting = Math.max(this.stats.maxWaiting, this.waiters.length);
    });
  }

  /** @param {number} since @returns {Lease} */
  #lease(since) {
    let released = false;
    return {
      waitedMs: performance.now() - since,
      release: () => {
        if (released) return;
        released = true;
        const next = this.order === "lifo" ? this.waiters.pop() : this.waiters.shift();
        if (next) {
          // Hand the connection straight to a waiter: inUse stays the same.
          clearTimeout(next.timer);
          this.stats.acquired++;
          next.resolve(this.#lease(next.since));
        } else {
          this.inUse--;
        }
      },
    };
  }

  snapshot() {
    return { size: this.size, inUse: this.inUse, waiting: this.waiters.length, order: this.order, ...this.stats };
  }
}
