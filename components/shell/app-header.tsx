import Link from "next/link";
import type { Actor } from "@/lib/audit/log";
import { signOutAction, signOutEverywhereAction } from "@/lib/auth/actions";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { NavLinks } from "./nav-links";

export function AppHeader({ user }: { user: Actor }) {
  const links = [
    { href: "/incidents", label: "Incidents" },
    { href: "/action-items", label: "Action items" },
    { href: "/services", label: "Services" },
    ...(user.role === "ADMIN" ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <header className="border-b border-black/20 bg-slate-900 text-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5">
        <Link href="/incidents" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid size-7 place-items-center rounded bg-red-600 text-sm font-bold">
            ↶
          </span>
          Backout
        </Link>
        <div className="order-3 w-full sm:order-none sm:w-auto sm:flex-1">
          <NavLinks links={links} />
        </div>
        <div className="ml-auto flex items-center gap-3 text-sm sm:ml-0">
          <div className="text-right leading-tight">
            <p className="font-medium" data-testid="current-user">
              {user.name}
            </p>
            <p className="text-xs text-slate-300" data-testid="current-role">
              {ROLE_LABELS[user.role]}
            </p>
          </div>
          <form action={signOutAction}>
            <button type="submit" className="rounded-md border border-white/20 px-2.5 py-1 text-xs text-slate-200 hover:bg-white/10">
              Sign out
            </button>
          </form>
          <form action={signOutEverywhereAction}>
            <button
              type="submit"
              title="Ends your sessions in every browser, this one included"
              className="rounded-md px-1.5 py-1 text-xs text-slate-300 underline-offset-2 hover:underline"
            >
              Sign out everywhere
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
