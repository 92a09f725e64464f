// Types for the Prometheus text-format parser the tests read /api/metrics with (a dev
// dependency without its own types). Values stay strings, as the parser returns them.
declare module "parse-prometheus-text-format" {
  type Labels = Record<string, string>;
  export type ParsedSample = { value: string; labels?: Labels };
  export type ParsedHistogramSample = { buckets: Record<string, string>; count: string; sum: string; labels?: Labels };
  export type ParsedMetricFamily =
    | { name: string; help: string; type: "COUNTER" | "GAUGE" | "UNTYPED"; metrics: ParsedSample[] }
    | { name: string; help: string; type: "HISTOGRAM"; metrics: ParsedHistogramSample[] }
    | { name: string; help: string; type: "SUMMARY"; metrics: Array<{ quantiles: Record<string, string>; count: string; sum: string; labels?: Labels }> };
  const parsePrometheusTextFormat: (text: string) => ParsedMetricFamily[];
  export default parsePrometheusTextFormat;
}
