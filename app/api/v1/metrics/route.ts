// POST /api/v1/metrics — the built-in provider's ingestion endpoint (bearer token per service).

import { findServiceForToken, storeSamples } from "@/lib/metrics/ingest";
import { ingestBatchSchema, MAX_BATCH_SAMPLES } from "@/lib/metrics/ingest-schema";
import { bearerToken } from "@/lib/metrics/tokens";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = MAX_BATCH_SAMPLES * 200;

function problem(status: number, error: string, details?: unknown) {
  return Response.json({ error, ...(details ? { details } : {}) }, { status });
}

export async function POST(request: Request) {
  const token = bearerToken(request.headers.get("authorization"));
  if (!token) return problem(401, "Missing bearer token: send `Authorization: Bearer <ingestion token>`.");
  const owner = await findServiceForToken(token);
  if (!owner) return problem(401, "Unknown or revoked ingestion token.");

  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return problem(413, `Batch too large: at most ${MAX_BATCH_SAMPLES} samples per request.`);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return problem(400, "Body is not valid JSON.");
  }
  const parsed = ingestBatchSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message }));
    return problem(422, "Batch rejected; nothing was stored.", issues);
  }
  const accepted = await storeSamples(owner.serviceId, owner.tokenId, parsed.data.samples);
  return Response.json({ accepted }, { status: 202 });
}
