import { describe, expect, it } from "vitest";
import { backOffDelay, isConnectionError, untilDatabaseAnswers } from "./db-retry";

const unreachable = Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" });
const refused = new Error("connect failed", {
  cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
});

describe("isConnectionError", () => {
  it("knows an unreachable or dropped database from a wrong write", () => {
    expect(isConnectionError(unreachable)).toBe(true);
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(
      true,
    );
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isConnectionError(new Error("null value in column"))).toBe(false);
  });
});

describe("untilDatabaseAnswers", () => {
  it("waits out an unreachable database for as long as it takes, with growing waits", async () => {
    let calls = 0;
    const waits: number[] = [];
    const value = await untilDatabaseAnswers(
      async () => {
        if (++calls < 6) throw unreachable;
        return "stored";
      },
      { firstMs: 1, maxMs: 8, otherAttempts: 2, onRetry: (_e, _n, wait) => waits.push(wait) },
    );
    expect(value).toBe("stored");
    expect(waits).toEqual([1, 2, 4, 8, 8]);
  });

  it("gives up on any other error after a few attempts", async () => {
    let calls = 0;
    const wrong = new Error("Unique constraint failed");
    await expect(
      untilDatabaseAnswers(
        async () => {
          calls++;
          throw wrong;
        },
        { firstMs: 1, otherAttempts: 3 },
      ),
    ).rejects.toBe(wrong);
    expect(calls).toBe(3);
    expect(backOffDelay(10)).toBe(5000);
  });
});
