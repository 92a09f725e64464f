"use client";
// Generates the strategy Dockerfiles for a Python project, previews them as text, and
// creates the variants (writing the files into a writable directory context first).
import Link from "next/link";
import { useMemo, useState } from "react";
import { STRATEGY_COLORS } from "@/components/ui/palette";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import { TEMPLATE_VARIANT_NAMES, renderDockerignore, renderVariantTemplates, type RenderedFile, type RenderedVariant } from "@/lib/builds/variant-templates";
import { TEMPLATE_STRATEGIES, type TemplateStrategy } from "@/lib/validations/variant-template";
import { isAppError, type FieldErrors } from "@/lib/errors";
import type { FormAction } from "@/lib/actions/result";
import { splitPackages, type TemplatesResult } from "@/lib/actions/setup-form";
import type { ContextKind } from "@/lib/types";
import { Field, FieldError, FormError, SubmitButton, controlProps, inputClass, monoInputClass } from "./field";
import { useSetupForm } from "./use-setup-form";

export type TemplatesTarget = { kind: ContextKind; dir: string | null; writable: boolean; reason: string | null };

type Props = {
  action: FormAction<TemplatesResult>;
  projectId: string;
  target: TemplatesTarget;
  existingFiles: string[];
  existingVariantNames: string[];
  defaultBaseImage: string;
};

const ACTION_LABELS = { create: "written", unchanged: "already there, identical", kept: "kept (the context has its own)" } as const;

const renderPreview = (input: Parameters<typeof renderVariantTemplates>[0]): { variants: RenderedVariant[]; errors: FieldErrors } => {
  try {
    return { variants: renderVariantTemplates(input), errors: {} };
  } catch (error) {
    const errors: FieldErrors = {};
    const issues = isAppError(error) && Array.isArray(error.details) ? (error.details as { path: PropertyKey[]; message: string }[]) : [];
    for (const issue of issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    if (!issues.length) errors.form = (error as Error).message;
    return { variants: [], errors };
  }
};

const uniqueFiles = (variants: RenderedVariant[]): RenderedFile[] => [...new Map(variants.flatMap((v) => v.files).map((f) => [f.path, f])).values()];

export const TemplatesForm = ({ action, projectId, target, existingFiles, existingVariantNames, defaultBaseImage }: Props) => {
  const { state, error, fieldErrors: serverErrors, pending, onSubmit } = useSetupForm(action);
  const [strategies, setStrategies] = useState<TemplateStrategy[]>([...TEMPLATE_STRATEGIES]);
  const [baseImage, setBaseImage] = useState(defaultBaseImage);
  const [appModule, setAppModule] = useState("");
  const [systemPackages, setSystemPackages] = useState("");
  const [runtimePackages, setRuntimePackages] = useState("");
  const [writeFiles, setWriteFiles] = useState(target.writable);

  const preview = useMemo(
    () =>
      renderPreview({
        strategies,
        baseImage,
        appModule: appModule || "app",
        systemPackages: splitPackages(systemPackages),
        runtimePackages: splitPackages(runtimePackages),
      }),
    [strategies, baseImage, appModule, systemPackages, runtimePackages],
  );
  const errors: FieldErrors = { ...preview.errors, ...serverErrors };
  const files = uniqueFiles(preview.variants);
  const existing = new Set(existingFiles);
  const result = state?.ok ? state.data : null;

  const toggle = (strategy: TemplateStrategy, checked: boolean) =>
    setStrategies((current) => TEMPLATE_STRATEGIES.filter((s) => (s === strategy ? checked : current.includes(s))));

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="space-y-5" noValidate>
        <input type="hidden" name="projectId" value={projectId} />
        <input type="hidden" name="mode" value={writeFiles && target.writable ? "write" : "variants"} />
        <FormError message={error} />

        <fieldset>
          <legend className="text-sm font-medium">Strategies</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {TEMPLATE_STRATEGIES.map((strategy) => (
              <label key={strategy} className="flex gap-2 rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-700">
                <input type="checkbox" name="strategies" value={strategy} checked={strategies.includes(strategy)} onChange={(e) => toggle(strategy, e.target.checked)} />
                <span>
                  <span className="flex items-center gap-2 font-medium">
                    <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: STRATEGY_COLORS[strategy] }} />
                    {STRATEGY_META[strategy].label}
                    <span className="font-mono text-xs font-normal text-slate-500">“{TEMPLATE_VARIANT_NAMES[strategy]}”</span>
                  </span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">{STRATEGY_META[strategy].description}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError name="strategies" error={errors.strategies} />
        </fieldset>

        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="baseImage" label="Base image" hint="Debian or Ubuntu based: the templates use apt-get and Debian's python3." error={errors.baseImage}>
            <input {...controlProps("baseImage", errors.baseImage, true)} className={monoInputClass} value={baseImage} onChange={(e) => setBaseImage(e.target.value)} />
          </Field>
          <Field name="appModule" label="Python module to run" hint="What `python -m` starts, like myapp or myapp.cli." error={errors.appModule}>
            <input {...controlProps("appModule", errors.appModule, true)} className={monoInputClass} value={appModule} placeholder="myapp" onChange={(e) => setAppModule(e.target.value)} />
          </Field>
          <Field name="systemPackages" label="Extra Debian build packages" hint="Needed to compile, e.g. libpq-dev zlib1g-dev. Builder stages only." error={errors.systemPackages}>
            <input {...controlProps("systemPackages", errors.systemPackages, true)} className={monoInputClass} value={systemPackages} onChange={(e) => setSystemPackages(e.target.value)} />
          </Field>
          <Field name="runtimePackages" label="Extra Debian runtime packages" hint="Needed to run, e.g. libpq5 zlib1g. Every final image." error={errors.runtimePackages}>
            <input {...controlProps("runtimePackages", errors.runtimePackages, true)} className={monoInputClass} value={runtimePackages} onChange={(e) => setRuntimePackages(e.target.value)} />
          </Field>
        </div>

        <div className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-700">
          {target.writable ? (
            <label className="flex items-start gap-2">
              <input type="checkbox" checked={writeFiles} onChange={(e) => setWriteFiles(e.target.checked)} className="mt-1" />
              <span>
                Write the files into <code className="break-all">{target.dir}</code> (and a <code>.dockerignore</code> if it has none). An existing file with
                different content is never replaced: nothing is written and you are told which one.
              </span>
            </label>
          ) : (
            <p data-testid="copy-files-note">
              Layerboard will not write the files: {target.reason}. Copy the files below into the root of the build context; the variants can be created now and
              will build once the files are there.
            </p>
          )}
          <FieldError name="files" error={errors.files} />
        </div>

        <SubmitButton pending={pending} pendingLabel="Creating…">
          {writeFiles && target.writable ? "Write files and create variants" : "Create variants"}
        </SubmitButton>
      </form>

      {result && (
        <section role="status" data-testid="templates-result" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-900 dark:bg-emerald-950">
          <p className="font-medium">
            {result.created.length ? `Created ${result.created.length} variant${result.created.length === 1 ? "" : "s"}: ${result.created.join(", ")}.` : "No new variants."}
            {result.skipped.length > 0 && ` Skipped (already in the project): ${result.skipped.join(", ")}.`}
          </p>
          {result.wroteFiles && (
            <ul className="list-inside list-disc">
              {result.files.map((file) => (
                <li key={file.path}>
                  <code>{file.path}</code>: {ACTION_LABELS[file.action]}
                </li>
              ))}
            </ul>
          )}
          <Link href={`/projects/${result.projectId}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Go to the project →
          </Link>
        </section>
      )}

      <section aria-labelledby="preview-heading" className="space-y-3">
        <h2 id="preview-heading" className="text-lg font-semibold">
          Preview
        </h2>
        {preview.variants.length > 0 && (
          <ul className="text-sm">
            {preview.variants.map((variant) => (
              <li key={variant.strategy}>
                Variant <strong>{variant.variantName}</strong> builds <code>{variant.dockerfile}</code>
                {variant.runtimeDockerfile && (
                  <>
                    {" "}
                    then <code>{variant.runtimeDockerfile}</code> with <code>{variant.artifactPath}</code>
                  </>
                )}
                {existingVariantNames.includes(variant.variantName) && <span className="ml-2 text-amber-700 dark:text-amber-400">(exists: skipped)</span>}
              </li>
            ))}
          </ul>
        )}
        {errors.form && <FormError message={errors.form} />}
        {[...files, { path: ".dockerignore", content: renderDockerignore() }].map((file) => (
          <details key={file.path} open={file.path !== ".dockerignore"} className="rounded-lg border border-slate-200 dark:border-slate-700">
            <summary className="cursor-pointer px-3 py-2 text-sm">
              <code className="font-semibold">{file.path}</code>
              {existing.has(file.path) && (
                <span className="ml-2 text-xs text-amber-700 dark:text-amber-400">
                  {file.path === ".dockerignore" ? "the context has one: it is kept" : "already in the context: kept only if identical, otherwise refused"}
                </span>
              )}
            </summary>
            <pre data-testid={`preview-${file.path}`} className="overflow-x-auto border-t border-slate-200 bg-slate-50 p-3 text-xs leading-relaxed dark:border-slate-700 dark:bg-slate-950">
              {file.content}
            </pre>
          </details>
        ))}
      </section>
    </div>
  );
};
