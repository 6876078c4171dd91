// Case (d) of chart-query.bench.ts measures a proposed provider next to the app's. The last
// proposal (one JSON row per metric, grouped on enum and bucket) was adopted into
// lib/metrics/builtin.ts, so (d) is the app's provider again until a new proposal goes here.
export { BuiltinProvider as ProposedBuiltinProvider } from "@/lib/metrics/builtin";
