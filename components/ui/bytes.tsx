import { formatBytes, formatExactBytes } from "@/lib/format/bytes";

// Human units on screen, exact bytes on hover and for screen readers.
export const Bytes = ({ value, className = "" }: { value: number | null | undefined; className?: string }) => (
  <span className={`tabular-nums ${className}`} title={formatExactBytes(value)} data-bytes={value ?? undefined}>
    {formatBytes(value)}
  </span>
);
