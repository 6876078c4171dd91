// Pick two versions of a document to compare: a plain GET form, so it works before any script loads.
import { compareHref } from "@/lib/documents/links";

const PICKS = [
  ["from", "Compare", "Older version"],
  ["to", "with", "Newer version"],
] as const;

const SELECT = "rounded-md border border-line bg-surface px-2 py-1.5 text-sm";

export function CompareForm({
  incidentNumber,
  documentId,
  versions,
  from,
  to,
}: {
  incidentNumber: number;
  documentId: string;
  /** Newest first. */
  versions: number[];
  from: number;
  to: number;
}) {
  const action = compareHref(incidentNumber, documentId, from, to).split("?")[0];
  const options = versions.map((v) => (
    <option key={v} value={v}>
      version {v}
    </option>
  ));
  return (
    <form action={action} method="get" className="flex flex-wrap items-center gap-2 text-sm">
      {PICKS.map(([name, words, label]) => (
        <label key={name} className="flex items-center gap-2">
          {words}
          <select name={name} defaultValue={name === "from" ? from : to} className={SELECT} aria-label={label}>
            {options}
          </select>
        </label>
      ))}
      <button type="submit" className="rounded-md border border-line bg-surface px-3 py-1.5 font-medium hover:bg-surface-2">
        Compare
      </button>
    </form>
  );
}
