// The builds page's filters: a plain GET form, so the filters live in the URL (a reload or a
// shared link keeps them) and work without JavaScript.
import Link from "next/link";
import { selectClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/styles";
import type { BuildFilterValues } from "@/lib/validations/build-search";

export type FilterProject = { id: string; name: string; variants: { id: string; name: string }[] };

const fieldClass = "flex min-w-0 flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300";
const textInputClass = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-normal dark:border-slate-700 dark:bg-slate-900";

const STATUSES = ["SUCCEEDED", "FAILED", "RUNNING", "QUEUED", "CANCELLED", "INTERRUPTED"] as const;

export const BuildFilters = ({ projects, values }: { projects: FilterProject[]; values: BuildFilterValues }) => {
  // The variant list follows the chosen project; without one, every variant, named with its project.
  const variants = projects.flatMap((p) =>
    !values.projectId || values.projectId === p.id ? p.variants.map((v) => ({ id: v.id, label: values.projectId ? v.name : `${p.name} · ${v.name}` })) : [],
  );
  return (
    <form method="get" action="/builds" aria-label="Filter builds" data-testid="build-filters" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      <label className={`${fieldClass} col-span-2 sm:col-span-3 lg:col-span-2`}>
        Search
        <input
          type="search"
          name="q"
          defaultValue={values.q ?? ""}
          maxLength={200}
          placeholder="variant, project, image tag, error text"
          className={textInputClass}
        />
      </label>
      <label className={fieldClass}>
        Project
        <select name="projectId" defaultValue={values.projectId ?? ""} className={selectClass}>
          <option value="">all projects</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className={fieldClass}>
        Variant
        <select name="variantId" defaultValue={values.variantId ?? ""} className={selectClass}>
          <option value="">all variants</option>
          {variants.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <label className={fieldClass}>
        Status
        <select name="status" defaultValue={values.status ?? ""} className={selectClass}>
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className={fieldClass}>
        Runs
        <select name="runs" defaultValue={values.runs ?? ""} className={selectClass}>
          <option value="">any</option>
          <option value="no">does not run</option>
          <option value="yes">runs</option>
        </select>
      </label>
      <label className={fieldClass}>
        Budget
        <select name="overBudget" defaultValue={values.overBudget ?? ""} className={selectClass}>
          <option value="">any</option>
          <option value="yes">over budget</option>
          <option value="no">within budget or none</option>
        </select>
      </label>
      <label className={fieldClass}>
        Builder
        <select name="builder" defaultValue={values.builder ?? ""} className={selectClass}>
          <option value="">any builder</option>
          <option value="BUILDKIT">BuildKit</option>
          <option value="CLASSIC">classic</option>
        </select>
      </label>
      <label className={fieldClass}>
        From
        <input type="date" name="from" defaultValue={values.from ?? ""} className={textInputClass} />
      </label>
      <label className={fieldClass}>
        To
        <input type="date" name="to" defaultValue={values.to ?? ""} className={textInputClass} />
      </label>
      <label className={fieldClass}>
        Commit
        <input
          type="text"
          name="commit"
          defaultValue={values.commit ?? ""}
          maxLength={71}
          placeholder="a1b2c3d"
          spellCheck={false}
          autoCapitalize="off"
          className={`${textInputClass} font-mono`}
        />
      </label>
      <div className="col-span-2 flex items-end gap-2 sm:col-span-3 lg:col-span-2">
        <button type="submit" className={primaryButtonClass}>
          Apply filters
        </button>
        <Link href="/builds" className={`${secondaryButtonClass} py-1.5`}>
          Clear
        </Link>
      </div>
    </form>
  );
};
