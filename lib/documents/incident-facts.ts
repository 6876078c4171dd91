/** The incident as every generated document states it (RCA, post-mortem agenda). Times are ISO strings. */
export type DocumentIncidentFacts = {
  number: number;
  title: string;
  service: string;
  severity: string;
  status: string;
  badVersion: string;
  previousVersion: string;
  deployedAt: string;
  detectedAt: string;
  declaredAt: string;
  resolvedAt: string | null;
};
