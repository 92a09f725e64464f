import { Suspense } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { TopNav } from "@/components/layout/top-nav";
import { HealthFooter } from "@/components/layout/health-footer";
import { signOutAction } from "@/app/login/actions";
import { isDatabaseAnswering } from "@/lib/data/database-probe";
import { DatabaseUnavailable } from "@/components/ui/database-unavailable";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Before the session lookup: a stalled database gives this page in seconds, not a hang.
  if (!(await isDatabaseAnswering())) return <DatabaseUnavailable />;
  const actor = await requirePageActor();
  return (
    <>
      <TopNav actor={actor} signOutAction={signOutAction} />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      <Suspense fallback={<footer className="mt-12 py-4 text-xs text-slate-500">Checking engine and database…</footer>}>
        <HealthFooter />
      </Suspense>
    </>
  );
}
