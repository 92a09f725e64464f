import { Suspense } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { TopNav } from "@/components/layout/top-nav";
import { HealthFooter } from "@/components/layout/health-footer";
import { signOutAction } from "@/app/login/actions";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
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
