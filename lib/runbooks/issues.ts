// A problem found in a runbook, by the path of the field it is about. Pure (the editor shows them).

export type IssueSeverity = "error" | "warning";

/** path: "steps" for the list as a whole, "steps.2.name", "steps.2.config.url", "steps.2.config.headers.Authorization". */
export type RunbookIssue = { path: string; message: string; severity: IssueSeverity };

/** An issue with its step named, for a summary: "Step 2 “Switch traffic” (config.url): must be …". */
export function describeIssue(issue: RunbookIssue, steps: readonly unknown[]): string {
  const m = /^steps\.(\d+)(?:\.(.+))?$/.exec(issue.path);
  if (!m) return issue.message;
  const index = Number(m[1]);
  const name = (steps[index] as { name?: unknown } | undefined)?.name;
  const field = m[2] ? ` (${m[2]})` : "";
  return `Step ${index + 1}${typeof name === "string" && name.trim() ? ` “${name.trim()}”` : ""}${field}: ${issue.message}`;
}
