// The REST API's OpenAPI 3.1 document, generated from the routes' zod schemas (lib/api/openapi.ts).
// Public: it describes the API, it holds no data.
import { buildOpenApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(buildOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
