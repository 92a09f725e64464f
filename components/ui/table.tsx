// The table primitive behind every data table: a horizontally scrolling wrapper, an optional
// screen-reader caption, and one of two looks applied to the plain thead/tbody/tr/th/td
// written inside it.
//   grid: ruled rows, small uppercase column headers, padded cells (settings, reports, layers)
//   list: wide rows divided by a line, uppercase headers, cells spaced on the right
//         (variants, comparisons, layer diffs)
// The look's rules sit inside :where() so they carry no specificity: a class on a cell
// (text-right, py-1.5, w-12, align-top…) always wins over the look.

type TableLook = "grid" | "list";

const BASE = "w-full text-left text-sm [:where(&)_th]:text-left";

const LOOKS: Record<TableLook, string> = {
  grid: [
    "[:where(&)_thead]:border-b [:where(&)_thead]:border-slate-200 dark:[:where(&)_thead]:border-slate-800",
    "[:where(&)_thead_th]:px-2 [:where(&)_thead_th]:py-1.5 [:where(&)_thead_th]:text-xs [:where(&)_thead_th]:font-medium [:where(&)_thead_th]:uppercase [:where(&)_thead_th]:tracking-wide [:where(&)_thead_th]:text-slate-500 dark:[:where(&)_thead_th]:text-slate-400",
    "[:where(&)_tbody_tr:not(:last-child)]:border-b [:where(&)_tbody_tr]:border-slate-100 dark:[:where(&)_tbody_tr]:border-slate-800",
    "[:where(&)_tbody_td]:px-2 [:where(&)_tbody_td]:py-1.5 [:where(&)_tbody_th]:px-2 [:where(&)_tbody_th]:py-1.5 [:where(&)_tbody_th]:font-normal",
  ].join(" "),
  list: [
    "[:where(&)_thead]:text-xs [:where(&)_thead]:uppercase [:where(&)_thead]:text-slate-500 dark:[:where(&)_thead]:text-slate-400",
    "[:where(&)_th]:py-2 [:where(&)_th]:pr-3 [:where(&)_td]:py-2 [:where(&)_td]:pr-3 [:where(&)_th:last-child]:pr-0 [:where(&)_td:last-child]:pr-0",
    "[:where(&)_tbody_tr:not(:last-child)]:border-b [:where(&)_tbody_tr]:border-slate-200 dark:[:where(&)_tbody_tr]:border-slate-800",
  ].join(" "),
};

type TableProps = React.ComponentProps<"table"> & {
  look?: TableLook;
  // Read by screen readers only; the card or heading around the table names it visually.
  caption?: React.ReactNode;
};

export const Table = ({ look = "grid", caption, className = "", children, ...props }: TableProps) => (
  <div className="relative overflow-x-auto">
    <table className={`${BASE} ${LOOKS[look]} ${className}`} {...props}>
      {caption && <caption className="sr-only">{caption}</caption>}
      {children}
    </table>
  </div>
);
