// POST /api/v1/metrics — the built-in provider's ingestion endpoint (bearer token per service).
// Every refusal is a 4xx saying why, and stores nothing: 401 token, 415 not JSON by its content
// type, 413 too large (counted while reading, whatever Content-Length says), 400 not JSON,
// 422 a sample out of bounds (names, times, values: lib/metrics/ingest-schema.ts).
import { readBodyLimited } from "@/lib/http/body";
import { findServiceForToken, storeSamples } from "@/lib/metrics/ingest";
import { MAX_BATCH_SAMPLES, parseIngestBatch, samplesBeyondRetention } from "@/lib/metrics/ingest-schema";
import { bearerToken } from "@/lib/metrics/tokens";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = MAX_BATCH_SAMPLES * 200;

function problem(status: number, error: string, details?: unknown) {
  return Response.json({ error, ...(details ? { details } : {}) }, { status });
}

const tooLarge = () =>
  problem(413, `Batch too large: at most ${MAX_BODY_BYTES.toLocaleString("en-US")} bytes and ${MAX_BATCH_SAMPLES} samples per request.`);

export async function POST(request: Request) {
  const token = bearerToken(request.headers.get("authorization"));
  if (!token) return problem(401, "Missing bearer token: send `Authorization: Bearer <ingestion token>`.");
  const owner = await findServiceForToken(token);
  if (!owner) return problem(401, "Unknown or revoked ingestion token.");

  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return problem(415, "Send the batch as JSON: `Content-Type: application/json`.");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
  const { bytes, truncated } = await readBodyLimited(request.body, MAX_BODY_BYTES);
  if (truncated) return tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return problem(400, "Body is not valid JSON.");
  }
  const parsed = parseIngestBatch(body);
  const issues = parsed.samples ? samplesBeyondRetention(parsed.samples, owner.retentionDays) : parsed.issues;
  if (!parsed.samples || issues.length > 0) return problem(422, "Batch rejected; nothing was stored.", issues.slice(0, 20));
  const accepted = await storeSamples(owner, parsed.samples);
  return Response.json({ accepted }, { status: 202 });
}
