"use client";
// Chooses the two builds of the layer diff. Works as a plain GET form without JavaScript
// (`?diff=a&diff=b`); with it, navigates to the tidier `?diff=a,b`.
import { useRouter } from "next/navigation";

type Option = { id: string; label: string };

type Props = { options: Option[]; selected: [string, string]; keep: Record<string, string> };

export const DiffPicker = ({ options, selected, keep }: Props) => {
  const router = useRouter();
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const [a, b] = data.getAll("diff").map(String);
    const query = new URLSearchParams(keep);
    query.set("diff", `${a},${b}`);
    router.push(`/compare?${query.toString().replaceAll("%2C", ",")}`, { scroll: false });
  };
  return (
    <form method="get" action="/compare" onSubmit={submit} className="flex flex-wrap items-end gap-3 text-sm" data-testid="diff-picker">
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {(["A", "B"] as const).map((side, index) => (
        <label key={side} className="flex flex-col gap-1">
          <span className="text-xs text-slate-500 dark:text-slate-400">Build {side}</span>
          <select name="diff" defaultValue={selected[index]} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900">
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:hover:bg-slate-800">
        Show diff
      </button>
    </form>
  );
};
