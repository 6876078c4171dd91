"use client";

// The three sign-offs: who gave each and what they said, and the form for the ones this user may give.
import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import type { SignOffRole, SystemStability } from "@/generated/prisma/enums";
import { signOffAction } from "@/lib/checklist/actions";
import { STABILITY_LABELS } from "@/lib/checklist/report";
import { SIGN_OFF_LABELS, SIGN_OFF_PHRASES, SIGN_OFF_ROLES } from "@/lib/checklist/rules";
import type { SignOffView } from "@/lib/checklist/view";

export function SignOffPanel({
  checklistId,
  signOffs,
  userId,
  allowedRoles,
  openItems,
}: {
  checklistId: string;
  signOffs: SignOffView[];
  userId: string;
  allowedRoles: SignOffRole[];
  openItems: number;
}) {
  const [open, setOpen] = useState<SignOffRole | null>(null);
  const mine = signOffs.find((s) => s.user.id === userId);
  return (
    <section aria-labelledby="signoff-h" className="rounded-lg border border-line bg-surface">
      <header className="border-b border-line px-4 py-2.5">
        <h3 id="signoff-h" className="text-sm font-semibold">
          Sign-off
        </h3>
        <p className="text-xs text-muted">Three people: the checklist locks when all three have signed.</p>
      </header>
      <ul className="divide-y divide-line">
        {SIGN_OFF_ROLES.map((role) => {
          const s = signOffs.find((x) => x.role === role);
          const canGive = !s && !mine && allowedRoles.includes(role);
          return (
            <li key={role} className="space-y-2 px-4 py-3" aria-label={`${SIGN_OFF_LABELS[role]} sign-off`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="text-sm font-medium">{SIGN_OFF_LABELS[role]}</span>
                {s ? (
                  <span className="text-xs text-muted" data-testid={`signoff-${role}`}>
                    {s.user.name} · <LocalTime iso={s.signedAt} />
                  </span>
                ) : canGive && open !== role ? (
                  <Button variant="secondary" className="px-2.5 py-1" onClick={() => setOpen(role)}>
                    Sign off as {SIGN_OFF_PHRASES[role]}
                  </Button>
                ) : (
                  <Badge tone="neutral">not signed</Badge>
                )}
              </div>
              {s && (
                <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                  <div>
                    <dt className="text-xs text-muted">Rollback successful</dt>
                    <dd>{s.rollbackSuccessful ? "Yes" : "No"}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">System stable</dt>
                    <dd>{STABILITY_LABELS[s.systemStable]}</dd>
                  </div>
                  {s.outstandingIssues && (
                    <div className="col-span-2">
                      <dt className="text-xs text-muted">Outstanding issues</dt>
                      <dd className="whitespace-pre-wrap">{s.outstandingIssues}</dd>
                    </div>
                  )}
                  {s.comments && (
                    <div className="col-span-2 sm:col-span-4">
                      <dt className="text-xs text-muted">Comments</dt>
                      <dd className="whitespace-pre-wrap">{s.comments}</dd>
                    </div>
                  )}
                </dl>
              )}
              {open === role && <SignOffForm checklistId={checklistId} role={role} openItems={openItems} onClose={() => setOpen(null)} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function SignOffForm({
  checklistId,
  role,
  openItems,
  onClose,
}: {
  checklistId: string;
  role: SignOffRole;
  openItems: number;
  onClose: () => void;
}) {
  const id = useId();
  const action = useAction(signOffAction, {
    onSuccess: () => {
      onClose();
    },
  });
  const fieldErrors = (action.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const radio = (name: string, options: [string, string][], label: string) => (
    <fieldset>
      <legend className="mb-1 text-sm font-medium">{label}</legend>
      <div className="flex flex-wrap gap-3">
        {options.map(([value, text]) => (
          <label key={value} className="flex items-center gap-1.5 text-sm">
            <input type="radio" name={name} value={value} required />
            {text}
          </label>
        ))}
      </div>
      {fieldErrors[name]?.[0] && <p className="text-xs text-danger">{fieldErrors[name]?.[0]}</p>}
    </fieldset>
  );
  return (
    <form
      aria-label={`Sign off as ${SIGN_OFF_PHRASES[role]}`}
      className="space-y-3 rounded-md border border-line bg-surface-2 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        action.execute({
          checklistId,
          role,
          rollbackSuccessful: f.get("rollbackSuccessful") === "yes",
          systemStable: String(f.get("systemStable")) as SystemStability,
          outstandingIssues: String(f.get("outstandingIssues") ?? ""),
          comments: String(f.get("comments") ?? ""),
        });
      }}
    >
      {openItems > 0 && (
        <p className="text-sm text-warn">
          {openItems} {openItems === 1 ? "check is" : "checks are"} still open. List what is outstanding below if you sign now.
        </p>
      )}
      {radio(
        "rollbackSuccessful",
        [
          ["yes", "Yes"],
          ["no", "No"],
        ],
        "Rollback successful?",
      )}
      {radio(
        "systemStable",
        [
          ["STABLE", "Yes"],
          ["PARTIAL", "Partially"],
          ["UNSTABLE", "No"],
        ],
        "System stable?",
      )}
      <div className="space-y-1">
        <label htmlFor={`${id}-issues`} className="block text-sm font-medium">
          Outstanding issues
        </label>
        <textarea id={`${id}-issues`} name="outstandingIssues" rows={2} className={INPUT_CLASS} />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-comments`} className="block text-sm font-medium">
          Comments
        </label>
        <textarea id={`${id}-comments`} name="comments" rows={2} className={INPUT_CLASS} />
      </div>
      {action.result.serverError && <FormAlert>{action.result.serverError}</FormAlert>}
      <div className="flex gap-2">
        <Button type="submit" disabled={action.isPending}>
          {action.isPending ? "Signing…" : `Sign off as ${SIGN_OFF_PHRASES[role]}`}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
