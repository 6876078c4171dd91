// The app's Prisma client against a database that drops connections: a read is tried once more,
// a database that still does not answer is a DatabaseUnavailableError (whose digest the page's
// error boundary recognises), and a write is never sent twice.
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "./db-client";
import { DATABASE_UNAVAILABLE_DIGEST, DatabaseUnavailableError } from "./db-retry";
import { type Relay, startRelay } from "./testing/tcp-relay";

let relay: Relay;
let client: Db;
afterEach(async () => {
  await client?.$disconnect();
  await relay?.close();
});

async function throughRelay(): Promise<void> {
  relay = await startRelay(process.env.DATABASE_URL as string);
  client = createPrismaClient(relay.url, 2);
  await client.user.count();
}

describe("the app's client when the database drops connections", () => {
  it("a read that fails on a connection error succeeds on its one retry", async () => {
    await throughRelay();
    await relay.cut();
    setTimeout(() => void relay.restore(), 50);
    await expect(client.user.count()).resolves.toEqual(expect.any(Number));
  });

  it("a read the database still does not answer is DatabaseUnavailableError, with the digest the page knows", async () => {
    await throughRelay();
    await relay.cut();
    const error = await client.user.findMany({ take: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).digest).toBe(DATABASE_UNAVAILABLE_DIGEST);
    await relay.restore();
    await expect(client.user.findMany({ take: 1 })).resolves.toBeInstanceOf(Array);
  });

  it("a write is not retried: its error is the database's own", async () => {
    await throughRelay();
    await relay.cut();
    const error = await client.service.create({ data: { slug: `x-${Date.now()}`, name: "x" } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(error).not.toBeInstanceOf(DatabaseUnavailableError);
  });
});
