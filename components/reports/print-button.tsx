"use client";
// Prints the page (the print stylesheet hides everything marked .no-print).
export const PrintButton = ({ className = "" }: { className?: string }) => (
  <button type="button" onClick={() => window.print()} className={className}>
    Print
  </button>
);
