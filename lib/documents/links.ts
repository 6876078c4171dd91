// Where a document is read, compared and downloaded (one place for the URLs the pages link to).

export const documentsHref = (incidentNumber: number | string) => `/incidents/${incidentNumber}/documents`;

export const documentHref = (incidentNumber: number | string, documentId: string, version?: number) =>
  `/incidents/${incidentNumber}/documents/${documentId}${version ? `?version=${version}` : ""}`;

export const compareHref = (incidentNumber: number | string, documentId: string, from: number, to: number) =>
  `/incidents/${incidentNumber}/documents/${documentId}/compare?from=${from}&to=${to}`;

/** The Markdown download: the current version, or `version`. */
export const markdownHref = (documentId: string, version?: number) =>
  `/api/documents/${documentId}/markdown${version ? `?version=${version}` : ""}`;
