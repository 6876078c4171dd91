// Where a document is read, compared and downloaded, and how a version number in a URL is read:
// one place for the URLs the pages and the download route share. Pure.
import type { DocumentKind } from "@/generated/prisma/enums";

export const KIND_LABELS: Record<DocumentKind, string> = {
  ROLLBACK_SUMMARY: "Rollback summary",
  VERIFICATION_REPORT: "Verification report",
  RCA: "Root-cause analysis",
  POSTMORTEM_AGENDA: "Post-mortem agenda",
  REDEPLOY_PLAN: "Re-deployment plan",
};

export const documentsHref = (incidentNumber: number | string) => `/incidents/${incidentNumber}/documents`;

export const documentHref = (incidentNumber: number | string, documentId: string, version?: number) =>
  `/incidents/${incidentNumber}/documents/${documentId}${version ? `?version=${version}` : ""}`;

export const compareHref = (incidentNumber: number | string, documentId: string, from: number, to: number) =>
  `/incidents/${incidentNumber}/documents/${documentId}/compare?from=${from}&to=${to}`;

/** The Markdown download: the current version, or `version`. */
export const markdownHref = (documentId: string, version?: number) =>
  `/api/documents/${documentId}/markdown${version ? `?version=${version}` : ""}`;

/** The PDF download: the current version, or `version`. */
export const pdfHref = (documentId: string, version?: number) => `/api/documents/${documentId}/pdf${version ? `?version=${version}` : ""}`;

/**
 * A version number from a query string: undefined when absent (the current version), null when it
 * is not a version number (1, 2, …), so the caller can answer "no such version".
 */
export function parseVersionParam(value: string | string[] | null | undefined): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

/** The post-mortem agenda's calendar invitation. */
export const icsHref = (documentId: string, version?: number) => `/api/documents/${documentId}/ics${version ? `?version=${version}` : ""}`;
