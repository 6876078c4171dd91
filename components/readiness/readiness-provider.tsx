"use client";

// The incident page's rollback readiness, polled every 20 s (GET /api/incidents/:n/readiness) and
// shared by the panel, the proposal form's warning and the plan's amber steps. The checks themselves
// run on the server at most once per READINESS_MAX_AGE_MS per service, whoever polls (types.ts says
// why these two numbers).
import { useParams } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import type { ServiceReadinessView } from "@/lib/readiness/store";
import { amberStepKeys, checksForPlan, failedChecks, READINESS_POLL_MS, type ReadinessCheck } from "@/lib/readiness/types";

type ReadinessState = { readiness: ServiceReadinessView | null; error: string | null; polling: boolean };

const ReadinessContext = createContext<ReadinessState | null>(null);

/** null outside a provider (a component used elsewhere simply shows no readiness). */
export function useReadiness(): ReadinessState | null {
  return useContext(ReadinessContext);
}

/** The checks that would fail for a plan of this strategy (and runbook, when known). */
export function useFailedChecks(strategy: RollbackStrategy, runbookId: string | null): ReadinessCheck[] {
  const state = useReadiness();
  return state?.readiness ? failedChecks(checksForPlan(state.readiness.checks, strategy, runbookId)) : [];
}

/** Plan steps a failed check concerns, to show amber. */
export function useAmberSteps(strategy: RollbackStrategy, runbookId: string | null): Set<string> {
  const state = useReadiness();
  return state?.readiness ? amberStepKeys(checksForPlan(state.readiness.checks, strategy, runbookId)) : new Set();
}

/**
 * `refreshKey` (the current decision): when it changes the provider reads again at once, so a new
 * proposal's checks (stored as it was made) show without waiting for the next poll.
 */
export function ReadinessProvider({ enabled, refreshKey, children }: { enabled: boolean; refreshKey: string; children: ReactNode }) {
  const { number } = useParams<{ number: string }>();
  const [readiness, setReadiness] = useState<ServiceReadinessView | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is there to read again when the decision changes
  useEffect(() => {
    if (!enabled || !number) return;
    const controller = new AbortController();
    const load = async () => {
      try {
        const res = await fetch(`/api/incidents/${number}/readiness`, { cache: "no-store", signal: controller.signal });
        if (res.status === 401) {
          setError("Your session has ended: sign in again to keep the readiness checks up to date.");
          return;
        }
        if (!res.ok) throw new Error(String(res.status));
        setReadiness((await res.json()) as ServiceReadinessView);
        setError(null);
      } catch (e) {
        if ((e as Error).name !== "AbortError") setError("The readiness checks could not be refreshed; retrying in 20 s.");
      }
    };
    void load();
    const timer = setInterval(() => void load(), READINESS_POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [enabled, number, refreshKey]);

  return <ReadinessContext.Provider value={{ readiness, error, polling: enabled }}>{children}</ReadinessContext.Provider>;
}
