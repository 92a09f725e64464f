// Human-readable sizes (decimal MB like `docker images`), durations and deltas.
const UNITS = ["B", "kB", "MB", "GB", "TB"];

export const formatBytes = (bytes: number | null | undefined, digits = 1): string => {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${sign}${unit === 0 ? value : value.toFixed(digits)} ${UNITS[unit]}`;
};

export const formatExactBytes = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? "—" : `${bytes.toLocaleString("en-US")} bytes`;

export const formatDelta = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? "—" : `${bytes > 0 ? "+" : bytes < 0 ? "−" : "±"}${formatBytes(Math.abs(bytes))}`;

export const formatPercent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio) ? "—" : `${ratio > 0 ? "+" : ratio < 0 ? "−" : "±"}${Math.abs(ratio * 100).toFixed(1)} %`;

export const formatDuration = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
};

export const shortId = (id: string | null | undefined, length = 12) => (id ? id.replace(/^sha256:/, "").slice(0, length) : "—");
