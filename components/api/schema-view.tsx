// A JSON Schema of the OpenAPI document as a readable field list (the API reference page).
import type { ReactNode } from "react";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
};

export const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

/** A description's `code` spans as code, the rest as text. */
export function Prose({ text }: { text: string }) {
  const parts: { at: number; text: string; code: boolean }[] = [];
  let at = 0;
  for (const [n, part] of text.split(/`([^`]+)`/).entries()) {
    parts.push({ at, text: part, code: n % 2 === 1 });
    at += part.length + (n % 2 === 1 ? 2 : 0);
  }
  return parts.map((p) =>
    p.code ? (
      <code key={`c${p.at}`} className="font-mono text-[0.9em]">
        {p.text}
      </code>
    ) : (
      <span key={`t${p.at}`}>{p.text}</span>
    ),
  );
}

/** One line for a schema that is not an object: its type and constraints. */
export function typeLabel(schema: JsonSchema): ReactNode {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#schema-${name}`} className="underline">
        {name}
      </a>
    );
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    return alternatives.map((s, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: alternatives have no identity but their place
      <span key={i}>
        {i > 0 && " | "}
        {typeLabel(s)}
      </span>
    ));
  }
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === "array" && schema.items) return <>array of {typeLabel(schema.items)}</>;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  const limits = [
    schema.format,
    schema.minLength !== undefined ? `≥ ${schema.minLength} chars` : null,
    schema.maxLength !== undefined ? `≤ ${schema.maxLength} chars` : null,
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : null,
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : null,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : null,
  ].filter(Boolean);
  return limits.length ? `${type} (${limits.join(", ")})` : type;
}

export function SchemaView({ schema }: { schema: JsonSchema }) {
  if (!schema.properties) return <p className="font-mono text-xs">{typeLabel(schema)}</p>;
  const required = new Set(schema.required ?? []);
  return (
    <ul className="space-y-1 text-sm">
      {Object.entries(schema.properties).map(([name, prop]) => (
        <li key={name}>
          <code className="font-mono text-xs font-semibold">{name}</code>
          {required.has(name) ? "" : <span className="text-xs text-muted"> optional</span>}{" "}
          <span className="font-mono text-xs text-muted">{prop.properties ? "object" : typeLabel(prop)}</span>
          {prop.description && <span className="text-xs text-muted"> — {prop.description}</span>}
          {prop.properties && (
            <div className="ml-4 border-l border-line pl-3">
              <SchemaView schema={prop} />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
