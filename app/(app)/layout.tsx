import { AppHeader } from "@/components/shell/app-header";
import { requireUser } from "@/lib/auth/session";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <>
      {/* The first thing a keyboard reaches: past the header's links to the page itself. */}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-surface focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-fg focus:shadow"
      >
        Skip to main content
      </a>
      <AppHeader user={user} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl scroll-mt-4 px-4 py-6 focus:outline-none">
        {children}
      </main>
    </>
  );
}
