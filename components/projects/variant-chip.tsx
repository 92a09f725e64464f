// A variant's name on its strategy colour, used wherever variants are listed.
import { STRATEGY_COLORS } from "@/components/ui/palette";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import type { Strategy } from "@/lib/types";

export const VariantChip = ({ name, strategy }: { name: string; strategy: Strategy }) => (
  <span className="inline-flex max-w-full items-center gap-1.5 rounded-full border border-slate-200 px-2 py-0.5 text-xs font-medium dark:border-slate-700" title={STRATEGY_META[strategy].label}>
    <span aria-hidden="true" className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: STRATEGY_COLORS[strategy] }} />
    <span className="truncate">{name}</span>
  </span>
);
