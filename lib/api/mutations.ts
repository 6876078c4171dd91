// Creating and revoking REST API tokens: admins only, through the change path. The token is in
// the change's result once (for the page to show) and never in the audit row.
import "server-only";
import { randomBytes } from "node:crypto";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { createApiTokenSchema, revokeApiTokenSchema } from "./schemas";
import { generateApiToken } from "./tokens";

const PERMISSION = "user:manage" as const;
const DAY_MS = 86_400_000;

export const createApiTokenChange = defineChange({
  action: "api_token.create",
  schema: createApiTokenSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "ApiToken", entityId: input.kind === "PERSONAL" ? (input.userId ?? null) : null }),
  async apply({ tx, user, input, now, audit }) {
    const admin = user;
    let userId: string;
    if (input.kind === "PERSONAL") {
      const person = await tx.user.findUnique({
        where: { id: input.userId ?? "" },
        select: { id: true, disabledAt: true, serviceAccount: true },
      });
      if (!person || person.serviceAccount) throw new NotFoundError("That person does not exist.", { field: "userId" });
      if (person.disabledAt) throw new InvalidInputError("That account is disabled: enable it first.", "userId");
      userId = person.id;
    } else {
      // A service token acts as its own account, which never signs in (no password, refused by SSO).
      const account = await tx.user.create({
        data: {
          email: `service-${randomBytes(8).toString("hex")}@api-tokens.backout.invalid`,
          name: `${input.name} (service token)`,
          role: input.role ?? "VIEWER",
          serviceAccount: true,
          createdById: admin.id,
        },
        select: { id: true },
      });
      userId = account.id;
    }
    const { token, hash, prefix } = generateApiToken();
    const expiresAt = input.expiresInDays > 0 ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
    const created = await tx.apiToken.create({
      data: {
        name: input.name,
        kind: input.kind,
        scope: input.scope,
        userId,
        tokenHash: hash,
        prefix,
        createdById: admin.id,
        createdAt: now,
        expiresAt,
      },
      select: { id: true },
    });
    Object.assign(audit, {
      entityId: created.id,
      details: { name: input.name, kind: input.kind, scope: input.scope, userId, prefix, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: created.id, token, prefix };
  },
});

export const revokeApiTokenChange = defineChange({
  action: "api_token.revoke",
  schema: revokeApiTokenSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "ApiToken", entityId: input.tokenId }),
  async apply({ tx, user, input, now, audit }) {
    const { count } = await tx.apiToken.updateMany({
      where: { id: input.tokenId, revokedAt: null },
      data: { revokedAt: now, revokedById: user.id },
    });
    const token = await tx.apiToken.findUnique({ where: { id: input.tokenId }, select: { name: true, prefix: true, kind: true } });
    if (!token) throw new NotFoundError("That token does not exist.");
    if (count === 0) throw new ConflictError("That token is already revoked.");
    audit.details = token;
    return { revoked: true };
  },
});
