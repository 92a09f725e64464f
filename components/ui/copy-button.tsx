"use client";
// Copies a value to the clipboard; falls back to selecting it (the text of the element
// `targetId`, or the value of that input) where the Clipboard API is unavailable (plain HTTP
// on a non-localhost address is not a secure context).
import { useState } from "react";
import { secondaryButtonClass } from "./styles";

export const CopyButton = ({ value, targetId }: { value: string; targetId?: string }) => {
  const [state, setState] = useState<"idle" | "copied" | "select">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      const target = targetId ? document.getElementById(targetId) : null;
      if (target instanceof HTMLInputElement) {
        target.focus();
        target.select();
      } else if (target) {
        const range = document.createRange();
        range.selectNodeContents(target);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
      setState("select");
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={copy} className={secondaryButtonClass}>
        Copy
      </button>
      <span role="status" aria-live="polite" className="text-xs text-slate-500 dark:text-slate-400">
        {state === "copied" ? "Copied" : state === "select" ? "Selected: press Ctrl+C to copy" : ""}
      </span>
    </span>
  );
};
