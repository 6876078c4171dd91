// Types of push.mjs.
import type { Sample } from "./aggregate.mjs";

export const MAX_BATCH_SAMPLES: 5000;

export type PushOutcome = { ok: true } | { ok: false; retry: boolean; kind: string; detail: string };

export function postSamples(args: { backoutUrl: string; token?: string; samples: Sample[]; timeoutMs?: number }): Promise<PushOutcome>;

export class MetricsPusher {
  constructor(options: { backoutUrl: string; token?: string; log?: (line: string) => void; maxBacklogMs?: number; now?: () => number });
  backlog: Sample[];
  lastFailureKind: string | null;
  stats: { pushed: number; dropped: number; failedAttempts: number };
  /** Queues samples and sends everything queued; never rejects. */
  push(samples: Sample[]): Promise<void>;
}
