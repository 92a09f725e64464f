// Labelled form controls of the setup forms, with the error for that field right below it.
import type { ReactNode } from "react";
import { SubmitButton as PendingSubmitButton } from "@/components/ui/action-form";

export const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";
export const monoInputClass = `${inputClass} font-mono`;

export const fieldId = (name: string) => `field-${name}`;
const errorId = (name: string) => `field-${name}-error`;
const hintId = (name: string) => `field-${name}-hint`;

/** Props that tie a control to its label, hint and error. */
export const controlProps = (name: string, error: string | undefined, hasHint = false) => ({
  id: fieldId(name),
  name,
  "aria-invalid": error ? true : undefined,
  "aria-describedby": [error ? errorId(name) : null, hasHint ? hintId(name) : null].filter(Boolean).join(" ") || undefined,
});

export const FieldError = ({ name, error }: { name: string; error?: string }) =>
  error ? (
    <p id={errorId(name)} data-field-error={name} className="mt-1 text-sm text-red-700 dark:text-red-400">
      {error}
    </p>
  ) : null;

export const Field = ({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) => (
  <div>
    <label htmlFor={fieldId(name)} className="block text-sm font-medium">
      {label}
    </label>
    {children}
    {hint && (
      <p id={hintId(name)} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
        {hint}
      </p>
    )}
    <FieldError name={name} error={error} />
  </div>
);

/** A labelled group of radio buttons (value, label), its hint and error below it. */
export const RadioGroup = ({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  hint,
  className,
}: {
  legend: string;
  name: string;
  options: ReadonlyArray<readonly [string, string]>;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  className?: string;
}) => (
  <fieldset className={className} aria-describedby={hint ? hintId(name) : undefined}>
    <legend className="text-sm font-medium">{legend}</legend>
    <div className="mt-1 flex flex-wrap gap-4 text-sm">
      {options.map(([option, label]) => (
        <label key={option} className="flex items-center gap-1">
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          {label}
        </label>
      ))}
    </div>
    <FieldError name={name} error={error} />
    {hint && (
      <p id={hintId(name)} className="mt-1 max-w-sm text-xs text-slate-500 dark:text-slate-400">
        {hint}
      </p>
    )}
  </fieldset>
);

export const FormError = ({ message }: { message?: string | null }) =>
  message ? (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      {message}
    </p>
  ) : null;

/** The setup forms' submit button: larger than the settings' one. */
export const SubmitButton = (props: { pending: boolean; children: ReactNode; pendingLabel: string }) => (
  <PendingSubmitButton {...props} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60" />
);
