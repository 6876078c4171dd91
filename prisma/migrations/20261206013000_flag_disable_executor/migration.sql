-- A first-class executor that turns a feature flag off through a flag service's admin API (issue 14).
ALTER TYPE "ExecutorKind" ADD VALUE 'FLAG_DISABLE';
