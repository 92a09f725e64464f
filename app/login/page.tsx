import { redirect } from "next/navigation";
import { getCurrentActor } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";
import { isDatabaseAnswering } from "@/lib/data/database-probe";
import { DatabaseUnavailable } from "@/components/ui/database-unavailable";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (!(await isDatabaseAnswering())) return <DatabaseUnavailable />;
  if (await getCurrentActor()) redirect("/");
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="mb-1 text-2xl font-semibold">Layerboard</h1>
      <p className="mb-6 text-sm text-slate-500 dark:text-slate-400">Sign in to see and trigger image builds.</p>
      <SignInForm />
      <p className="mt-6 text-xs text-slate-500 dark:text-slate-400">
        The first administrator comes from <code>LAYERBOARD_ADMIN_EMAIL</code> / <code>LAYERBOARD_ADMIN_PASSWORD</code>; without a
        password, <code>npm run dev</code> prints a generated one and keeps it in <code>.layerboard/admin-password</code>.
      </p>
    </main>
  );
}
