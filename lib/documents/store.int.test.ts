// Documents against a real database: versions are numbered in order, a write based on an old
// version is refused with the current one (also when two writers race on separate connections),
// a refused write leaves nothing behind, versions cannot be changed, and reads find any version.
import { afterAll, describe, expect, it } from "vitest";
import { type Db, getDb } from "@/lib/db";
import { createPrismaClient } from "@/lib/db-client";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { compareVersions } from "./compare";
import { getDocumentVersion, listIncidentDocuments } from "./queries";
import { addDocumentVersion, createDocument, StaleDocumentVersionError } from "./store";

const db = () => getDb();
const clients: Db[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

const at = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute));

async function report() {
  const incident = await makeIncident();
  const author = await makeUser("RESPONDER");
  const { documentId } = await db().$transaction((tx) =>
    createDocument(tx, {
      incidentId: incident.id,
      kind: "VERIFICATION_REPORT",
      title: "Verification report",
      content: { items: [{ label: "CPU", status: "PENDING" }] },
      markdown: "# Report\n\n- CPU: open\n",
      authorId: author.id,
      at: at(0),
    }),
  );
  return { incident, author, documentId };
}

describe("documents", () => {
  it("adds versions in order and reads the current one, any earlier one, and the list", async () => {
    const { incident, author, documentId } = await report();
    const second = await db().$transaction((tx) =>
      addDocumentVersion(tx, {
        documentId,
        basedOn: 1,
        content: { items: [{ label: "CPU", status: "PASSED" }] },
        markdown: "# Report\n\n- CPU: done\n",
        authorId: null,
        at: at(5),
      }),
    );
    expect(second).toEqual({ documentId, version: 2 });

    const current = await getDocumentVersion(documentId);
    expect(current?.document).toMatchObject({
      id: documentId,
      currentVersion: 2,
      kind: "VERIFICATION_REPORT",
      incident: { number: incident.number },
    });
    expect(current?.version).toMatchObject({ version: 2, markdown: "# Report\n\n- CPU: done\n", createdBy: null, createdAt: at(5) });
    const first = await getDocumentVersion(documentId, 1);
    expect(first?.version).toMatchObject({
      version: 1,
      content: { items: [{ label: "CPU", status: "PENDING" }] },
      createdBy: { id: author.id },
    });
    expect(await getDocumentVersion(documentId, 3)).toBeNull();
    expect(await getDocumentVersion("no-such-document")).toBeNull();

    const listed = await listIncidentDocuments(incident.id);
    expect(listed.map((d) => [d.id, d.currentVersion, d.versions.map((v) => v.version)])).toEqual([[documentId, 2, [2, 1]]]);

    const comparison = compareVersions(first!.version, current!.version);
    expect(comparison.fields).toEqual([{ field: "items[0].status", before: '"PENDING"', after: '"PASSED"' }]);
    expect([comparison.added, comparison.removed]).toEqual([1, 1]);
  });

  it("refuses a version based on an old one with the current version, and keeps nothing of it", async () => {
    const { documentId } = await report();
    const write = (basedOn: number, markdown: string) =>
      db().$transaction((tx) => addDocumentVersion(tx, { documentId, basedOn, content: {}, markdown, authorId: null, at: at(9) }));
    await write(1, "second\n");
    const refused = await write(1, "a stale edit\n").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StaleDocumentVersionError);
    expect(refused).toMatchObject({ basedOn: 1, currentVersion: 2 });
    expect((refused as Error).message).toMatch(/now at version 2, and your change was made on version 1/);
    const versions = await db().documentVersion.findMany({ where: { documentId }, orderBy: { version: "asc" } });
    expect(versions.map((v) => [v.version, v.markdown])).toEqual([
      [1, "# Report\n\n- CPU: open\n"],
      [2, "second\n"],
    ]);
    expect((await db().document.findUniqueOrThrow({ where: { id: documentId } })).currentVersion).toBe(2);
  });

  it("lets exactly one of several writers on separate connections add the next version", async () => {
    const { documentId } = await report();
    const writers = Array.from({ length: 6 }, () => {
      const client = createPrismaClient(process.env.DATABASE_URL as string, 1);
      clients.push(client);
      return client;
    });
    const outcomes = await Promise.allSettled(
      writers.map((client, i) =>
        client.$transaction((tx) =>
          addDocumentVersion(tx, { documentId, basedOn: 1, content: { writer: i }, markdown: `writer ${i}\n`, authorId: null, at: at(10) }),
        ),
      ),
    );
    const won = outcomes.filter((o) => o.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ currentVersion: 2 });
    const versions = await db().documentVersion.findMany({ where: { documentId }, orderBy: { version: "asc" } });
    expect(versions).toHaveLength(2);
    const winner = outcomes.findIndex((o) => o.status === "fulfilled");
    expect(versions[1].markdown).toBe(`writer ${winner}\n`);
  });

  it("never changes a written version (the database refuses), and deleting the incident still removes its documents", async () => {
    const { incident, documentId } = await report();
    await expect(db().documentVersion.updateMany({ where: { documentId }, data: { markdown: "rewritten history\n" } })).rejects.toThrow(
      /DocumentVersion is immutable/,
    );
    expect((await getDocumentVersion(documentId, 1))?.version.markdown).toBe("# Report\n\n- CPU: open\n");
    await db().incident.delete({ where: { id: incident.id } });
    expect(await db().documentVersion.count({ where: { documentId } })).toBe(0);
  });
});
