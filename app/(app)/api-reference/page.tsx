// The REST API's reference, rendered on the server from the same OpenAPI document the API serves
// (/api/v1/openapi.json): no script, no CDN, nothing the page's CSP would have to allow.
import type { Metadata } from "next";
import { type JsonSchema, Prose, refName, SchemaView } from "@/components/api/schema-view";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API reference" };

type Parameter = { in: string; name: string; required?: boolean; description?: string; schema: JsonSchema };
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-backout-scope": "read" | "write";
  /** Set where an operation takes another token than the document's (Alertmanager's receiver). */
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
};

export default async function ApiReferencePage() {
  await requireUser();
  const doc = buildOpenApiDocument() as unknown as {
    info: { title: string; description: string; version: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags[0]))];
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{doc.info.title}</h1>
        <p className="max-w-3xl text-sm">
          <Prose text={doc.info.description} />
        </p>
        <p className="text-sm">
          Base URL <code className="font-mono">/api/v1</code> · version {doc.info.version} ·{" "}
          <a href="/api/v1/openapi.json" className="underline">
            OpenAPI 3.1 document (JSON)
          </a>
        </p>
        <pre className="overflow-x-auto rounded-md bg-surface-2 p-3 font-mono text-xs">
          {`curl -H "Authorization: Bearer $BACKOUT_TOKEN" https://backout.example.com/api/v1/incidents?limit=5`}
        </pre>
      </div>
      <nav aria-label="Operations" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {operations.map(({ op, method, path }) => (
          <a key={op.operationId} href={`#op-${op.operationId}`} className="underline">
            {method.toUpperCase()} {path}
          </a>
        ))}
      </nav>
      {tags.map((tag) => (
        <section key={tag} className="space-y-3" aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`} className="text-lg font-semibold">
            {tag}
          </h2>
          {operations
            .filter((o) => o.op.tags[0] === tag)
            .map(({ path, method, op }) => (
              <Card
                key={op.operationId}
                id={`op-${op.operationId}`}
                title={
                  <span className="flex flex-wrap items-center gap-2">
                    <Badge tone={method === "get" ? "info" : "warn"}>{method.toUpperCase()}</Badge>
                    <code className="font-mono">/api/v1{path}</code>
                    <span className="font-normal text-muted">{op.summary}</span>
                  </span>
                }
              >
                <div className="space-y-3 text-sm">
                  <p className="text-xs text-muted">
                    {op.security?.some((s) => "alertmanagerToken" in s)
                      ? "Needs an Alertmanager integration's token (bo_am_…), not an API token."
                      : `Needs a ${op["x-backout-scope"]} token${op["x-backout-scope"] === "write" ? " (and a role that may make the change)" : ""}.`}
                  </p>
                  {op.description && (
                    <p>
                      <Prose text={op.description} />
                    </p>
                  )}
                  {op.parameters && op.parameters.length > 0 && (
                    <div>
                      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Parameters</h3>
                      <SchemaView
                        schema={{
                          type: "object",
                          properties: Object.fromEntries(
                            op.parameters.map((p) => [
                              `${p.name} (${p.in})`,
                              { ...p.schema, description: p.description ?? p.schema.description },
                            ]),
                          ),
                          required: op.parameters.filter((p) => p.required).map((p) => `${p.name} (${p.in})`),
                        }}
                      />
                    </div>
                  )}
                  {op.requestBody && (
                    <div>
                      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Body (application/json)</h3>
                      <SchemaView schema={op.requestBody.content["application/json"].schema} />
                    </div>
                  )}
                  <div>
                    <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Responses</h3>
                    <ul className="space-y-0.5">
                      {Object.entries(op.responses).map(([status, r]) => {
                        const schema = Object.values(r.content ?? {})[0]?.schema;
                        return (
                          <li key={status}>
                            <code className="font-mono text-xs font-semibold">{status}</code> <Prose text={r.description} />
                            {schema?.$ref && (
                              <>
                                {" "}
                                <a href={`#schema-${refName(schema.$ref)}`} className="font-mono text-xs underline">
                                  {refName(schema.$ref)}
                                </a>
                              </>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                  </div>
                </div>
              </Card>
            ))}
        </section>
      ))}
      <section className="space-y-3" aria-labelledby="schemas">
        <h2 id="schemas" className="text-lg font-semibold">
          Schemas
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <Card key={name} id={`schema-${name}`} title={<code className="font-mono">{name}</code>}>
            <SchemaView schema={schema} />
          </Card>
        ))}
      </section>
    </div>
  );
}
