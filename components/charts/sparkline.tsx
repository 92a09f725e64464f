"use client";
// A tiny size trend for the overview: the last successful sizes of one variant.
import { Line, LineChart, YAxis } from "recharts";

type Props = { sizes: number[]; color: string; label: string };

export const Sparkline = ({ sizes, color, label }: Props) => {
  if (sizes.length < 2) return null;
  const data = sizes.map((size, index) => ({ index, size }));
  return (
    <span role="img" aria-label={label} title={label} className="inline-block align-middle">
      <LineChart width={72} height={22} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <YAxis hide domain={["dataMin", "dataMax"]} />
        <Line type="monotone" dataKey="size" stroke={color} strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </span>
  );
};
