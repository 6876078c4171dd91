import { describe, expect, it } from "vitest";
import { resumeAfter, sseFrame, statusFrame } from "./stream";

const req = (url: string, lastEventId?: string) =>
  new Request(url, { headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId } });

describe("resumeAfter", () => {
  it("prefers Last-Event-ID (EventSource's reconnect) over ?after=", () => {
    expect(resumeAfter(req("http://x/api/incidents/1/stream?after=5", "42"))).toBe("42");
    expect(resumeAfter(req("http://x/api/incidents/1/stream?after=5"))).toBe("5");
    expect(resumeAfter(req("http://x/api/incidents/1/stream?after=5", ""))).toBe("5");
  });

  it("ignores what is not an event id", () => {
    expect(resumeAfter(req("http://x/s"))).toBeNull();
    expect(resumeAfter(req("http://x/s?after=-1"))).toBeNull();
    expect(resumeAfter(req("http://x/s?after=1;DROP"))).toBeNull();
    expect(resumeAfter(req("http://x/s", "12345678901234567890"))).toBeNull();
  });
});

describe("sseFrame", () => {
  it("is one event with its id and topic, the JSON on a single data line", () => {
    const frame = sseFrame({
      id: "7",
      incidentId: "inc",
      topic: "steplog",
      payload: { lines: [{ line: "two\nlines" }] },
      actorId: null,
      at: "2026-11-26T10:00:00.000Z",
    });
    expect(frame.endsWith("\n\n")).toBe(true);
    const lines = frame.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("id: 7");
    expect(lines[1]).toBe("event: steplog");
    expect(JSON.parse((lines[2] as string).slice("data: ".length)).payload.lines[0].line).toBe("two\nlines");
  });
});

describe("statusFrame", () => {
  it("is an SSE event of its own kind, which the page turns into Delayed or Live", () => {
    expect(statusFrame(false)).toBe('event: status\ndata: {"listening":false}\n\n');
    expect(statusFrame(true)).toBe('event: status\ndata: {"listening":true}\n\n');
  });
});
