// Reads of share links: the release manager's list, and opening a link (the share page's only way in).
import "server-only";
import { writeAudit } from "@/lib/audit/log";
import { now as clockNow } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { hashSecretToken, tokenMatches } from "@/lib/security/tokens";
import type { TimelineEntry } from "@/lib/timeline/entries";
import { getMilestones, getWholeTimeline } from "@/lib/timeline/queries";
import { redactPeople } from "./redact";
import { SHARE_TOKEN_PATTERN } from "./schemas";

/** An incident's links, newest first, for the release manager's list (never their hashes). */
export async function listShareLinks(incidentId: string) {
  return getDb().shareLink.findMany({
    where: { incidentId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      showNames: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
      revokedBy: { select: { name: true } },
    },
  });
}

export type ShareLinkRow = Awaited<ReturnType<typeof listShareLinks>>[number];

export type OpenedShareLink =
  | { ok: true; linkId: string; incidentId: string; showNames: boolean; expiresAt: Date }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

/** Seconds within which the same address opening the same link again is the same visit. */
const SAME_VISIT_S = 10;

/**
 * An open share page refreshes itself (ShareAutoRefresh): those refreshes are not new openings while
 * the same address has an audited opening of the link this recent. Any reader is audited at least once
 * in this window, so a client that claims to be refreshing (the claim is a request header it can send
 * as it likes) still leaves a row per address and half day; a tab left open longer is audited again.
 */
const SHARE_REFRESH_AUDIT_S = 12 * 3600;

/**
 * Whether this address has an audited (ALLOWED) opening of this link in the last `seconds`: the page
 * re-rendering itself (the browser's first visit sets its time zone and refreshes; the open page's
 * own refreshes) is the same opening, not a second one. Each refused opening is its own row.
 */
async function openedWithin(linkId: string, address: string | null, seconds: number): Promise<boolean> {
  const rows = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "AuditLog"
    WHERE action = 'share_link.open' AND outcome = 'ALLOWED' AND "entityType" = 'ShareLink' AND "entityId" = ${linkId}
      AND at > now() - make_interval(secs => ${seconds})
      AND details->>'address' IS NOT DISTINCT FROM ${address}`;
  return (rows[0]?.n ?? 0) > 0;
}

/**
 * The link a token opens, checked on every opening (so a revocation takes effect at once), and the
 * opening audited: ALLOWED, or DENIED with why (revoked, expired). A string that is not a token at
 * all, or no link's, is refused without a row: it opens nothing, and writing one per guess would let
 * anyone fill the audit log. Guessing is hopeless anyway: 256 random bits.
 */
export async function openShareLink(
  token: string,
  context: {
    address?: string | null;
    now?: Date;
    /** The open page refreshing itself (not a person opening the link): not a new opening (SHARE_REFRESH_AUDIT_S). */
    refresh?: boolean;
  } = {},
): Promise<OpenedShareLink> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return { ok: false, reason: "malformed" };
  const db = getDb();
  // Found by its hash: a lookup on a SHA-256 of the token tells a timing observer nothing about
  // the token; the constant-time comparison below then confirms it against the stored hash.
  const link = await db.shareLink.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    select: { id: true, incidentId: true, showNames: true, expiresAt: true, revokedAt: true, tokenHash: true },
  });
  if (!link || !tokenMatches(token, link.tokenHash)) return { ok: false, reason: "unknown" };
  const now = context.now ?? clockNow();
  const refused = link.revokedAt ? "revoked" : link.expiresAt.getTime() <= now.getTime() ? "expired" : null;
  if (!refused && (await openedWithin(link.id, context.address ?? null, context.refresh ? SHARE_REFRESH_AUDIT_S : SAME_VISIT_S))) {
    return { ok: true, linkId: link.id, incidentId: link.incidentId, showNames: link.showNames, expiresAt: link.expiresAt };
  }
  await writeAudit(db, {
    actor: null,
    action: "share_link.open",
    outcome: refused ? "DENIED" : "ALLOWED",
    entityType: "ShareLink",
    entityId: link.id,
    incidentId: link.incidentId,
    details: { ...(refused ? { reason: refused } : {}), ...(context.address ? { address: context.address } : {}) },
  });
  if (refused) return { ok: false, reason: refused };
  return { ok: true, linkId: link.id, incidentId: link.incidentId, showNames: link.showNames, expiresAt: link.expiresAt };
}

/**
 * What a share page shows: the incident's headline, its latest update, its milestones and timeline.
 * Nothing else: no links into the installation, and without `showNames` every person's name and
 * email in that text becomes "someone" (everyone's, not only the timeline's actors: an entry may
 * name someone else, as an approval names its proposer).
 */
export async function getSharedIncident(incidentId: string, showNames: boolean) {
  const db = getDb();
  const people = showNames ? [] : await db.user.findMany({ select: { name: true, email: true } });
  const hide = (text: string) => (showNames ? text : redactPeople(text, people));
  const incident = await db.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: {
      number: true,
      title: true,
      severity: true,
      status: true,
      detectedAt: true,
      resolvedAt: true,
      service: { select: { name: true } },
    },
  });
  const [latestUpdate, entries, milestones] = await Promise.all([
    db.statusUpdate.findFirst({
      where: { incidentId },
      orderBy: { sequence: "desc" },
      include: { author: { select: { name: true } } },
    }),
    getWholeTimeline(incidentId, incident.number),
    getMilestones(incidentId),
  ]);
  return {
    incident,
    milestones,
    latestUpdate: latestUpdate && {
      ...latestUpdate,
      status: hide(latestUpdate.status),
      impact: hide(latestUpdate.impact),
      actions: hide(latestUpdate.actions),
      author: showNames ? latestUpdate.author : null,
    },
    events: entries.map(
      (e): TimelineEntry => ({
        ...e,
        message: hide(e.message),
        actor: showNames ? e.actor : null,
        starredBy: showNames ? e.starredBy : null,
        link: null,
      }),
    ),
  };
}
