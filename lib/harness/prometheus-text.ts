// Reads /api/metrics' text with the Prometheus text-format parser, for the tests. The parser
// (1.1.1) merges every series of a labelled histogram into one and drops their labels, so a
// histogram's samples are also read a second time with its HELP/TYPE lines removed: then each
// _bucket, _sum and _count line comes back as an untyped sample with all its labels.
import parsePrometheusTextFormat, { type ParsedMetricFamily } from "parse-prometheus-text-format";

type Labels = Record<string, string>;
export type ParsedMetrics = {
  families: ParsedMetricFamily[];
  /** The type the text declares for `name` ("COUNTER", "GAUGE", "HISTOGRAM"…), or undefined. */
  typeOf: (name: string) => string | undefined;
  /** The value of the one sample of `name` whose labels include `labels`, or undefined. */
  value: (name: string, labels?: Labels) => number | undefined;
  /** Every sample of `name` (a counter, a gauge, or a histogram's _bucket/_sum/_count). */
  samples: (name: string) => Array<{ labels: Labels; value: number }>;
  /** A histogram series: its cumulative buckets by `le`, sum and count. */
  histogram: (name: string, labels: Labels) => { buckets: Record<string, number>; sum: number; count: number } | undefined;
};

const matches = (actual: Labels | undefined, wanted: Labels) => Object.entries(wanted).every(([key, value]) => actual?.[key] === value);

export const parseMetrics = (text: string): ParsedMetrics => {
  const families = parsePrometheusTextFormat(text);
  const histograms = families.filter((f) => f.type === "HISTOGRAM").map((f) => f.name);
  const withoutHistogramTypes = text
    .split("\n")
    .filter((line) => !histograms.some((name) => line.startsWith(`# HELP ${name} `) || line.startsWith(`# TYPE ${name} `)))
    .join("\n");
  const flat = parsePrometheusTextFormat(withoutHistogramTypes);
  const samples = (name: string) =>
    flat
      .filter((f) => f.name === name && f.type !== "HISTOGRAM" && f.type !== "SUMMARY")
      .flatMap((f) => (f.type === "HISTOGRAM" || f.type === "SUMMARY" ? [] : f.metrics))
      .map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) }));
  return {
    families,
    typeOf: (name) => families.find((f) => f.name === name)?.type,
    samples,
    value: (name, labels = {}) => samples(name).find((s) => matches(s.labels, labels))?.value,
    histogram: (name, labels) => {
      const count = samples(`${name}_count`).find((s) => matches(s.labels, labels));
      const sum = samples(`${name}_sum`).find((s) => matches(s.labels, labels));
      if (!count || !sum) return undefined;
      const buckets = Object.fromEntries(samples(`${name}_bucket`).filter((s) => matches(s.labels, labels)).map((s) => [s.labels.le, s.value]));
      return { buckets, sum: sum.value, count: count.value };
    },
  };
};
