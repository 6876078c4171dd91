"use client";

// A step's output lines: those rendered with the page, then each line as the worker stores it
// (the "steplog" live events), without reloading. Keeps the latest MAX_LINES.
import { useEffect, useMemo, useRef, useState } from "react";
import { useIncidentEvents } from "@/components/live/incident-stream";
import { useDisplayZone } from "@/components/time/time-zone";
import type { StepLogPayload } from "@/lib/live/topics";
import { formatInstant } from "@/lib/time/format";

export type OutputLine = StepLogPayload["lines"][number];

const MAX_LINES = 200;

function merge(into: Map<string, OutputLine>, lines: readonly OutputLine[]): Map<string, OutputLine> {
  const next = new Map(into);
  for (const l of lines) next.set(l.id, l);
  const sorted = [...next.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).slice(-MAX_LINES);
  return new Map(sorted.map((l) => [l.id, l]));
}

function format(l: OutputLine, zone: string): string {
  return `${formatInstant(l.ts, zone, "time")} ${l.stream === "STDERR" ? "! " : ""}${l.line}`;
}

export function StepOutput({ stepId, position, initialLines }: { stepId: string; position: number; initialLines: OutputLine[] }) {
  const [lines, setLines] = useState(() => merge(new Map(), initialLines));
  const pre = useRef<HTMLPreElement>(null);
  const stickToBottom = useRef(true);

  // A refresh of the page brings the stored lines again: merge them (ids make repeats harmless).
  useEffect(() => setLines((current) => merge(current, initialLines)), [initialLines]);

  useIncidentEvents("steplog", (event) => {
    const payload = event.payload as StepLogPayload;
    if (payload.stepId === stepId) setLines((current) => merge(current, payload.lines));
  });

  const { zone } = useDisplayZone();
  const text = useMemo(() => [...lines.values()].map((l) => format(l, zone)).join("\n"), [lines, zone]);

  useEffect(() => {
    const el = pre.current;
    if (el && stickToBottom.current && text) el.scrollTop = el.scrollHeight;
  }, [text]);

  if (lines.size === 0) return null;
  return (
    <pre
      ref={pre}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      className="mt-2 ml-7 max-h-48 overflow-auto rounded bg-canvas p-2 font-mono text-xs"
      data-testid={`step-output-${position}`}
    >
      {text}
    </pre>
  );
}
