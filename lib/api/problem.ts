// Errors of the REST API as RFC 9457 problem details (`application/problem+json`): the status's
// title, a `detail` written for the person reading it, and for a refused change its `code`, the
// `field` it concerns and, when stale, the record as it is now.
import { z } from "zod";
import type { Refusal, RefusalCode } from "@/lib/errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
};

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "Always about:blank: the status and `code` say what happened." }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z
      .string()
      .optional()
      .meta({ description: "For a refused change: forbidden, not_found, invalid, conflict, stale, confirmation." }),
    field: z.string().optional().meta({ description: "The input field the problem concerns." }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    current: z.unknown().optional().meta({ description: "With code stale: the record as it is now." }),
  })
  .meta({ id: "Problem" });

export type Problem = z.infer<typeof problemSchema>;

export function problem(status: number, detail: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}): Response {
  const body: Problem = { type: "about:blank", title: TITLES[status] ?? "Error", status, detail, ...extra };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers } });
}

const REFUSAL_STATUS: Record<RefusalCode, number> = {
  forbidden: 403,
  not_found: 404,
  invalid: 422,
  conflict: 409,
  stale: 409,
  confirmation: 422,
};

export function refusalProblem(refusal: Refusal): Response {
  const issues = (refusal.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  return problem(REFUSAL_STATUS[refusal.code], refusal.message, {
    code: refusal.code,
    ...(refusal.field ? { field: refusal.field } : {}),
    ...(issues ? { errors: issues } : {}),
    ...(refusal.current !== undefined ? { current: refusal.current } : {}),
  });
}

export function zodProblem(status: 400 | 422, what: string, error: z.ZodError): Response {
  const errors = error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = errors[0];
  return problem(status, `${what}: ${first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "not valid"}`, {
    code: "invalid",
    ...(first?.path ? { field: first.path.split(".")[0] } : {}),
    errors,
  });
}
