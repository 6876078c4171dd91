import { describe, expect, it } from "vitest";
import { ConnectionPool, PoolTimeoutError } from "./lib/pool.mjs";

describe("ConnectionPool", () => {
  it("hands out at most `size` connections and serves the newest waiter first", async () => {
    const pool = new ConnectionPool({ size: 1, acquireTimeoutMs: 1000 });
    const first = await pool.acquire();
    const order: string[] = [];
    const waitFor = (name: string) =>
      pool.acquire().then((lease) => {
        order.push(name);
        return lease;
      });
    const a = waitFor("a");
    const b = waitFor("b");
    expect(pool.snapshot()).toMatchObject({ inUse: 1, waiting: 2 });
    first.release();
    (await b).release();
    (await a).release();
    expect(order).toEqual(["b", "a"]);
    expect(pool.snapshot()).toMatchObject({ inUse: 0, waiting: 0, acquired: 3, timeouts: 0 });
  });

  it("fails a waiter after the acquire timeout", async () => {
    const pool = new ConnectionPool({ size: 1, acquireTimeoutMs: 30 });
    const held = await pool.acquire();
    const t0 = performance.now();
    await expect(pool.acquire()).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(pool.snapshot()).toMatchObject({ inUse: 1, waiting: 0, timeouts: 1 });
    held.release();
    held.release(); // twice is harmless
    expect(pool.snapshot().inUse).toBe(0);
  });
});
