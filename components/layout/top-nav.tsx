import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";

const links = [
  { href: "/", label: "Overview" },
  { href: "/builds", label: "Builds" },
  { href: "/compare", label: "Compare" },
  { href: "/settings", label: "Settings" },
];

export const TopNav = ({ actor, signOutAction }: { actor: Actor; signOutAction: () => Promise<void> }) => (
  <header className="no-print border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
    <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
      <Link href="/" className="text-lg font-semibold tracking-tight">
        Layer<span className="text-indigo-600 dark:text-indigo-400">board</span>
      </Link>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {[...links, ...(actor.role === "ADMIN" ? [{ href: "/setup/project", label: "New project" }] : [])].map((link) => (
          <li key={link.href}>
            <Link href={link.href} className="whitespace-nowrap rounded px-1 text-slate-600 hover:text-slate-900 focus-visible:outline-2 dark:text-slate-300 dark:hover:text-white">
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
      <div className="ml-auto flex items-center gap-3 text-sm text-slate-500 dark:text-slate-400">
        <span>
          {actor.name} · {actor.role.toLowerCase()}
        </span>
        <form action={signOutAction}>
          <button type="submit" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
            Sign out
          </button>
        </form>
      </div>
    </nav>
  </header>
);
