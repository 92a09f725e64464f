// Size budgets: an absolute limit per variant and a relative threshold against the
// previous successful build of the same variant. Pure, shared by UI, reports and the CLI.
export type BudgetInput = {
  size: number | null;
  sizeBudgetBytes: number | null;
  regressionThresholdPct: number | null;
  previousSize: number | null;
};

export type BudgetVerdict = {
  overBudget: boolean;
  regression: boolean;
  // size − previous, and that as a fraction of previous (0.05 = +5 %)
  deltaVsPrevious: number | null;
  deltaVsPreviousPct: number | null;
  messages: string[];
  passed: boolean;
};

export const evaluateBudget = ({ size, sizeBudgetBytes, regressionThresholdPct, previousSize }: BudgetInput): BudgetVerdict => {
  const deltaVsPrevious = size !== null && previousSize !== null ? size - previousSize : null;
  const deltaVsPreviousPct = deltaVsPrevious !== null && previousSize ? deltaVsPrevious / previousSize : null;
  const overBudget = size !== null && sizeBudgetBytes !== null && size > sizeBudgetBytes;
  const regression = regressionThresholdPct !== null && deltaVsPreviousPct !== null && deltaVsPreviousPct * 100 > regressionThresholdPct;
  const messages: string[] = [];
  if (overBudget) messages.push(`${size} bytes is over the budget of ${sizeBudgetBytes} bytes`);
  if (regression)
    messages.push(`grew ${(deltaVsPreviousPct! * 100).toFixed(1)} % vs the previous build (threshold ${regressionThresholdPct} %)`);
  return { overBudget, regression, deltaVsPrevious, deltaVsPreviousPct, messages, passed: !overBudget && !regression };
};
