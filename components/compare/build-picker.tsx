"use client";
// Picks builds of one project to compare. A plain GET form (`?builds=a&builds=b`) that,
// with JavaScript, navigates to `?builds=a,b`.
import { useRouter } from "next/navigation";
import { useState } from "react";

export type PickerBuild = { id: string; label: string; detail: string; color: string };

type Props = { builds: PickerBuild[]; max: number; initial: string[] };

export const BuildPicker = ({ builds, max, initial }: Props) => {
  const router = useRouter();
  const [picked, setPicked] = useState<string[]>(initial.filter((id) => builds.some((b) => b.id === id)));
  const toggle = (id: string) => setPicked((current) => (current.includes(id) ? current.filter((x) => x !== id) : current.length >= max ? current : [...current, id]));
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (picked.length < 2) return;
    router.push(`/compare?builds=${picked.join(",")}`);
  };
  return (
    <form method="get" action="/compare" onSubmit={submit} className="space-y-3" data-testid="build-picker">
      <fieldset>
        <legend className="mb-2 text-sm text-slate-600 dark:text-slate-300">Choose 2 to {max} builds</legend>
        <ul className="max-h-80 divide-y divide-slate-200 overflow-y-auto rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {builds.map((b) => {
            const checked = picked.includes(b.id);
            return (
              <li key={b.id}>
                <label className="flex cursor-pointer items-center gap-3 px-3 py-2 text-sm hover:bg-slate-50 dark:hover:bg-slate-800">
                  <input type="checkbox" name="builds" value={b.id} checked={checked} onChange={() => toggle(b.id)} disabled={!checked && picked.length >= max} />
                  <span aria-hidden="true" className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: b.color }} />
                  <span className="font-medium">{b.label}</span>
                  <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">{b.detail}</span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <button
        type="submit"
        disabled={picked.length < 2}
        className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-50 dark:bg-indigo-500"
      >
        Compare {picked.length || ""} selected
      </button>
    </form>
  );
};
