// Every route of the REST API (/api/v1/…): its schemas, which the OpenAPI document is generated
// from (lib/api/openapi.ts) and the router validates with (lib/api/router.ts), and its handler.
import "server-only";
import { z } from "zod";
import { IncidentStatus, Severity } from "@/generated/prisma/enums";
import { createActionItemChange, setActionItemStatusChange, updateActionItemChange } from "@/lib/action-items/mutations";
import { createActionItemSchema, setActionItemStatusSchema, updateActionItemSchema } from "@/lib/action-items/schemas";
import { getDb } from "@/lib/db";
import { recordDeploymentChange } from "@/lib/deployments/mutations";
import { readDeployment } from "@/lib/deployments/queries";
import { recordDeploymentSchema } from "@/lib/deployments/schemas";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { declareIncidentChange } from "@/lib/incidents/mutations";
import { declareIncidentSchema } from "@/lib/incidents/schemas";
import { postStatusUpdateChange } from "@/lib/status-updates/mutations";
import { postStatusUpdateSchema } from "@/lib/status-updates/schemas";
import { TIMELINE_CATEGORIES, type TimelineCategory } from "@/lib/timeline/kinds";
import { addNoteChange } from "@/lib/timeline/mutations";
import { decodeCursor, getTimelinePage } from "@/lib/timeline/queries";
import { addNoteSchema } from "@/lib/timeline/schemas";
import {
  actionItemSchema,
  checklistSchema,
  decisionSchema,
  deploymentSchema,
  documentSchema,
  incidentSchema,
  listOf,
  pageOf,
  readActionItem,
  readActionItemPage,
  readChecklist,
  readDecisions,
  readDocuments,
  readIncident,
  readIncidentById,
  readIncidentPage,
  readRuns,
  readStatusUpdate,
  readStatusUpdatePage,
  runSchema,
  statusUpdateSchema,
  timelineEntrySchema,
} from "./resources";
import { type ApiRoute, defineRoute } from "./router";

const incidentNumber = z.object({
  number: z.coerce
    .number({ error: "The incident number is a whole number, e.g. 7 for INC-7." })
    .int("The incident number is a whole number, e.g. 7 for INC-7.")
    .min(1)
    .max(999_999_999)
    .meta({ description: "The incident's number (7 for INC-7)." }),
});

const limit = z.coerce
  .number({ error: "limit is a whole number from 1 to 200." })
  .int("limit is a whole number from 1 to 200.")
  .min(1, "limit is a whole number from 1 to 200.")
  .max(200, "limit is a whole number from 1 to 200.")
  .default(50)
  .meta({ description: "Items per page (1–200, default 50)." });

const numberCursor = z
  .string()
  .regex(/^\d{1,9}$/, "Pass the nextCursor of the previous page as it was.")
  .transform(Number)
  .optional()
  .meta({ description: "The previous page's nextCursor." });

const idCursor = z
  .string()
  .regex(/^[\w-]{1,64}$/, "Pass the nextCursor of the previous page as it was.")
  .optional()
  .meta({ description: "The previous page's nextCursor." });

const actionItemId = z.object({
  id: z
    .string()
    .regex(/^[\w-]{1,64}$/, "An action item's id is letters, digits, - and _.")
    .meta({ description: "The action item's id." }),
});

async function actionItemOr404(id: string): Promise<void> {
  if ((await getDb().actionItem.count({ where: { id } })) === 0) throw new NotFoundError("There is no such action item.");
}

/**
 * The documented body of a status change: its change's fields without the id the path gives (zod
 * cannot omit from a refined object; the change still parses with the whole schema, rule included).
 */
const { id: _pathId, ...statusFields } = setActionItemStatusSchema.shape;
const statusBody = z.object(statusFields);

/** The incident of the path, or a 404 refusal. */
async function incidentOf(number: number): Promise<{ id: string; number: number }> {
  const incident = await getDb().incident.findUnique({ where: { number }, select: { id: true, number: true } });
  if (!incident) throw new NotFoundError(`There is no incident INC-${number}.`);
  return incident;
}

/** A write's body: the change's own schema without the ids the path gives. */
const bodyOf = <S extends z.ZodObject<z.ZodRawShape>>(schema: S, pathKeys: readonly string[]) =>
  schema.omit(Object.fromEntries(pathKeys.map((k) => [k, true])) as never);

const incidentsTag = "Incidents";

export const API_ROUTES: readonly ApiRoute[] = [
  defineRoute({
    method: "POST",
    path: "/deployments",
    operationId: "recordDeployment",
    summary: "Record a deploy event (from a pipeline)",
    description:
      "Records what was deployed where and when. The service page lists it, the incident charts mark it, declaring an " +
      "incident proposes it, and an incident open on the service gets it on its timeline. Needs a write token whose role " +
      "may record deploys (responder, release manager or admin) — typically a service token.",
    tag: "Deployments",
    permission: "deploy:record",
    change: recordDeploymentChange,
    body: recordDeploymentSchema,
    status: 201,
    response: deploymentSchema,
    responseDescription: "The recorded deploy.",
    problems: [409, 422],
    async handle({ body, run }) {
      const recorded = await run(recordDeploymentChange, body);
      const deployment = await readDeployment(recorded.id);
      if (!deployment) throw new NotFoundError("The deploy was removed meanwhile.");
      return { ...deployment, openIncidents: recorded.openIncidents };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents",
    operationId: "listIncidents",
    summary: "List incidents, newest first",
    tag: incidentsTag,
    permission: "incident:read",
    query: z.object({
      status: z.enum(IncidentStatus, { error: `status is one of ${Object.values(IncidentStatus).join(", ")}.` }).optional(),
      severity: z.enum(Severity, { error: `severity is one of ${Object.values(Severity).join(", ")}.` }).optional(),
      service: z.string().max(100).optional().meta({ description: "A service's slug." }),
      limit,
      cursor: numberCursor,
    }),
    status: 200,
    response: pageOf(incidentSchema, "IncidentPage"),
    responseDescription: "A page of incidents.",
    problems: [],
    handle: ({ query }) => readIncidentPage(query, query.limit, query.cursor),
  }),
  defineRoute({
    method: "POST",
    path: "/incidents",
    operationId: "declareIncident",
    summary: "Declare an incident",
    description: "The same change as the Declare incident form: responders, release managers and admins.",
    tag: incidentsTag,
    permission: "incident:declare",
    change: declareIncidentChange,
    body: declareIncidentSchema,
    status: 201,
    response: incidentSchema,
    responseDescription: "The declared incident.",
    problems: [409, 422],
    async handle({ body, run }) {
      const incident = await run(declareIncidentChange, body);
      return readIncidentById(incident.id);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}",
    operationId: "getIncident",
    summary: "Read an incident",
    tag: incidentsTag,
    permission: "incident:read",
    params: incidentNumber,
    status: 200,
    response: incidentSchema,
    responseDescription: "The incident.",
    problems: [404],
    async handle({ params }) {
      const incident = await readIncident(params.number);
      if (!incident) throw new NotFoundError(`There is no incident INC-${params.number}.`);
      return incident;
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/timeline",
    operationId: "getTimeline",
    summary: "Read an incident's timeline",
    tag: "Timeline",
    permission: "incident:read",
    params: incidentNumber,
    query: z.object({
      order: z.enum(["oldest", "newest"], { error: "order is oldest or newest." }).default("oldest"),
      categories: z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          const unknown = (v ?? "").split(",").filter((c) => c && !(TIMELINE_CATEGORIES as readonly string[]).includes(c));
          if (unknown.length)
            ctx.addIssue({
              code: "custom",
              message: `Unknown categories: ${unknown.join(", ")} (known: ${TIMELINE_CATEGORIES.join(", ")}).`,
            });
        })
        .meta({ description: `Comma-separated: ${TIMELINE_CATEGORIES.join(", ")}.` }),
      starred: z.enum(["true", "false"], { error: "starred is true or false." }).optional().meta({ description: "Only key moments." }),
      limit,
      cursor: z
        .string()
        .max(200)
        .refine((c) => decodeCursor(c) !== null, "Pass the nextCursor of the previous page as it was.")
        .optional()
        .meta({ description: "The previous page's nextCursor." }),
    }),
    status: 200,
    response: pageOf(timelineEntrySchema, "TimelinePage"),
    responseDescription: "A page of timeline entries.",
    problems: [404],
    async handle({ params, query }) {
      const incident = await incidentOf(params.number);
      const categories = (query.categories ?? "").split(",").filter(Boolean) as TimelineCategory[];
      const page = await getTimelinePage(
        incident.id,
        incident.number,
        { order: query.order, categories: [...new Set(categories)], starredOnly: query.starred === "true" },
        { cursor: query.cursor, limit: query.limit },
      );
      return { items: page.entries, nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/incidents/{number}/timeline",
    operationId: "addTimelineNote",
    summary: "Add a note to the timeline",
    description: "Its entry shows it came through the API.",
    tag: "Timeline",
    permission: "incident:update",
    change: addNoteChange,
    params: incidentNumber,
    body: bodyOf(addNoteSchema, ["incidentId"]),
    status: 201,
    response: z.object({ id: z.string() }).meta({ id: "Created" }),
    responseDescription: "The new entry's id.",
    problems: [404, 422],
    async handle({ params, body, run }) {
      const incident = await incidentOf(params.number);
      return run(addNoteChange, { ...body, incidentId: incident.id });
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/decisions",
    operationId: "listDecisions",
    summary: "List an incident's decisions with their approvals, newest first",
    tag: "Rollback",
    permission: "incident:read",
    params: incidentNumber,
    status: 200,
    response: listOf(decisionSchema, "DecisionList"),
    responseDescription: "Every decision of the incident.",
    problems: [404],
    async handle({ params }) {
      return { items: await readDecisions((await incidentOf(params.number)).id) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/runs",
    operationId: "listRuns",
    summary: "List an incident's rollback runs with their steps, newest first",
    tag: "Rollback",
    permission: "incident:read",
    params: incidentNumber,
    status: 200,
    response: listOf(runSchema, "RunList"),
    responseDescription: "Every run of the incident.",
    problems: [404],
    async handle({ params }) {
      return { items: await readRuns((await incidentOf(params.number)).id) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/checklist",
    operationId: "getChecklist",
    summary: "Read an incident's verification checklist",
    tag: "Verification",
    permission: "incident:read",
    params: incidentNumber,
    status: 200,
    response: z.object({ checklist: checklistSchema.nullable() }).meta({ id: "ChecklistResult" }),
    responseDescription: "The checklist, or null before verification started.",
    problems: [404],
    async handle({ params }) {
      return { checklist: await readChecklist((await incidentOf(params.number)).id) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/documents",
    operationId: "listDocuments",
    summary: "List an incident's documents with their current Markdown",
    tag: "Documents",
    permission: "incident:read",
    params: incidentNumber,
    status: 200,
    response: listOf(documentSchema, "DocumentList"),
    responseDescription: "Every document of the incident.",
    problems: [404],
    async handle({ params }) {
      return { items: await readDocuments((await incidentOf(params.number)).id) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/action-items",
    operationId: "listIncidentActionItems",
    summary: "List an incident's action items, oldest first",
    tag: "Action items",
    permission: "incident:read",
    params: incidentNumber,
    query: z.object({ limit, cursor: idCursor }),
    status: 200,
    response: pageOf(actionItemSchema, "ActionItemPage"),
    responseDescription: "A page of action items.",
    problems: [404, 422],
    async handle({ params, query }) {
      const incident = await incidentOf(params.number);
      await assertActionItemCursor(query.cursor);
      return readActionItemPage({ incidentId: incident.id }, query.limit, query.cursor);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/incidents/{number}/action-items",
    operationId: "createActionItem",
    summary: "Create an action item on an incident",
    description:
      '`dueDay` is a calendar day (YYYY-MM-DD). `link` is optional: `{kind:"url",url}`, `{kind:"runbook",runbookId}` or `{kind:"service",serviceId}`.',
    tag: "Action items",
    permission: "action_item:edit",
    change: createActionItemChange,
    params: incidentNumber,
    body: bodyOf(createActionItemSchema, ["incidentId"]),
    status: 201,
    response: actionItemSchema,
    responseDescription: "The new action item.",
    problems: [404, 409, 422],
    async handle({ params, body, run }) {
      const incident = await incidentOf(params.number);
      const item = await run(createActionItemChange, { ...body, incidentId: incident.id });
      return readActionItem(item.id);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/action-items/{id}",
    operationId: "getActionItem",
    summary: "Read an action item",
    tag: "Action items",
    permission: "incident:read",
    params: actionItemId,
    status: 200,
    response: actionItemSchema,
    responseDescription: "The action item.",
    problems: [404],
    async handle({ params }) {
      const item = await readActionItem(params.id);
      if (!item) throw new NotFoundError("There is no such action item.");
      return item;
    },
  }),
  defineRoute({
    method: "PUT",
    path: "/action-items/{id}",
    operationId: "updateActionItem",
    summary: "Update an action item's fields",
    description:
      "Send every field and the `version` you read: an update over a newer version is refused (409, with the item as it is now).",
    tag: "Action items",
    permission: "action_item:edit",
    change: updateActionItemChange,
    params: actionItemId,
    body: bodyOf(updateActionItemSchema, ["id"]),
    status: 200,
    response: actionItemSchema,
    responseDescription: "The updated action item.",
    problems: [404, 409, 422],
    async handle({ params, body, run }) {
      await actionItemOr404(params.id);
      const item = await run(updateActionItemChange, { ...body, id: params.id });
      return readActionItem(item.id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/action-items/{id}/status",
    operationId: "setActionItemStatus",
    summary: "Move an action item to another status",
    description: "DONE needs a `completionNote` saying how it was verified.",
    tag: "Action items",
    permission: "action_item:edit",
    change: setActionItemStatusChange,
    params: actionItemId,
    body: statusBody,
    status: 200,
    response: actionItemSchema,
    responseDescription: "The action item in its new status.",
    problems: [404, 409, 422],
    async handle({ params, body, run }) {
      await actionItemOr404(params.id);
      const item = await run(setActionItemStatusChange, { ...body, id: params.id });
      return readActionItem(item.id);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{number}/status-updates",
    operationId: "listStatusUpdates",
    summary: "List an incident's stakeholder updates, newest first",
    tag: "Status updates",
    permission: "incident:read",
    params: incidentNumber,
    query: z.object({ limit, cursor: numberCursor }),
    status: 200,
    response: pageOf(statusUpdateSchema, "StatusUpdatePage"),
    responseDescription: "A page of status updates.",
    problems: [404],
    async handle({ params, query }) {
      return readStatusUpdatePage((await incidentOf(params.number)).id, query.limit, query.cursor);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/incidents/{number}/status-updates",
    operationId: "postStatusUpdate",
    summary: "Post a stakeholder update",
    description: "`after` is the sequence of the latest update you read (0 for none): a post over a newer one is refused (409, with it).",
    tag: "Status updates",
    permission: "incident:update",
    change: postStatusUpdateChange,
    params: incidentNumber,
    body: bodyOf(postStatusUpdateSchema, ["incidentId"]),
    status: 201,
    response: statusUpdateSchema,
    responseDescription: "The posted update.",
    problems: [404, 409, 422],
    async handle({ params, body, run }) {
      const incident = await incidentOf(params.number);
      const posted = await run(postStatusUpdateChange, { ...body, incidentId: incident.id });
      return readStatusUpdate(posted.id);
    },
  }),
];

async function assertActionItemCursor(cursor: string | undefined): Promise<void> {
  if (cursor && (await getDb().actionItem.count({ where: { id: cursor } })) === 0) {
    throw new InvalidInputError("That cursor names no action item: pass the nextCursor of the previous page.", "cursor");
  }
}
