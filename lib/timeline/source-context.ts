// The channel a change came in through (the web UI, the REST API, a webhook), for the timeline
// entries it writes. The change path (lib/incidents/change.ts) sets it around a change's
// transaction; recordTimelineEvent reads it for entries a person caused, so every change gets it
// without each one passing it along.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { TimelineSource } from "@/generated/prisma/enums";

const channel = new AsyncLocalStorage<TimelineSource>();

export function withChangeSource<T>(source: TimelineSource | undefined, run: () => Promise<T>): Promise<T> {
  return source ? channel.run(source, run) : run();
}

/** The channel of the change being applied, if it said one. */
export function changeSource(): TimelineSource | undefined {
  return channel.getStore();
}
