// The REST API (/api/v1/…): every route is an entry of lib/api/routes.ts, answered by its router.
// Bearer tokens only — no session cookie is read, so a browser cannot be tricked into a write.
import { dispatch } from "@/lib/api/router";
import { API_ROUTES } from "@/lib/api/routes";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, context: Context): Promise<Response> {
  return dispatch(API_ROUTES, request, (await context.params).path);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
