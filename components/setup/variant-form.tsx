"use client";
// The add-variant form: which Dockerfile to build and how, the smoke command, the budgets,
// and for the builder pattern the runtime Dockerfile and the artefact to copy across.
import { useState } from "react";
import { STRATEGY_META } from "@/lib/builds/strategy-meta";
import type { Strategy } from "@/lib/types";
import type { FormAction } from "@/lib/actions/result";
import { Field, FormError, RadioGroup, SubmitButton, controlProps, inputClass, monoInputClass } from "./field";
import { useSetupForm } from "./use-setup-form";
import type { VariantFormValues } from "@/lib/actions/setup-form";
import { isSecretArgName, SECRET_ARGS_DOCS } from "@/lib/builds/secret-args";

const STRATEGIES = Object.keys(STRATEGY_META) as Strategy[];

const initialValues: VariantFormValues = {
  name: "",
  strategy: "CUSTOM" as string,
  dockerfile: "Dockerfile",
  target: "",
  buildArgs: "",
  secretArgs: "",
  smokeCommand: "",
  sizeBudgetMb: "",
  regressionThresholdPct: "",
  builder: "BUILDKIT",
  smokePrivileges: "STRICT",
  runtimeDockerfile: "Dockerfile.runtime",
  artifactPath: "",
  budgetBasis: "DISK",
  registryBaseImage: "",
};
type Values = VariantFormValues;

type Props = {
  action: FormAction;
  projectId: string;
  /** Editing (issue 13): the stored variant's id and values, and the button's words. */
  variantId?: string;
  initial?: Values & { noCache: boolean };
  submitLabel?: string;
  pendingLabel?: string;
};

export const VariantForm = ({ action, projectId, variantId, initial, submitLabel = "Add variant", pendingLabel = "Adding…" }: Props) => {
  const { error, fieldErrors: errors, pending, onSubmit } = useSetupForm(action);
  const [values, setValues] = useState<Values>(initial ?? initialValues);
  const [noCache, setNoCache] = useState(initial?.noCache ?? false);
  // Controlled inputs keep what was typed when the action answers with errors.
  const bind = (name: keyof Values, hasHint = false) => ({
    ...controlProps(name, errors[name], hasHint),
    value: values[name],
    onChange: (event: { target: { value: string } }) => setValues((current) => ({ ...current, [name]: event.target.value })),
  });
  const isBuilderPattern = values.strategy === "BUILDER_PATTERN";
  const markedSecret = values.secretArgs.split(/[\s,]+/).filter(Boolean);
  const secretNames = values.buildArgs
    .split(/\r?\n/)
    .map((line) => line.trim().split("=")[0]?.trim() ?? "")
    .filter((name) => name && isSecretArgName(name, markedSecret));

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      <input type="hidden" name="projectId" value={projectId} />
      {variantId && <input type="hidden" name="variantId" value={variantId} />}
      <FormError message={error} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="name" label="Name" error={errors.name}>
          <input {...bind("name")} className={inputClass} maxLength={80} required />
        </Field>
        <Field name="strategy" label="Strategy" hint={STRATEGY_META[values.strategy as Strategy]?.description} error={errors.strategy}>
          <select {...bind("strategy", true)} className={inputClass}>
            {STRATEGIES.map((strategy) => (
              <option key={strategy} value={strategy}>
                {STRATEGY_META[strategy].label}
              </option>
            ))}
          </select>
        </Field>
        <Field name="dockerfile" label={isBuilderPattern ? "Build-image Dockerfile" : "Dockerfile path"} hint="Relative to the build context." error={errors.dockerfile}>
          <input {...bind("dockerfile", true)} className={monoInputClass} required />
        </Field>
        <Field name="target" label="Target stage (optional)" hint="--target: build up to this stage." error={errors.target}>
          <input {...bind("target", true)} className={monoInputClass} />
        </Field>
      </div>

      {isBuilderPattern && (
        <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-700">
          <legend className="px-1 text-sm font-medium">Builder pattern</legend>
          <Field name="runtimeDockerfile" label="Runtime Dockerfile" hint="Built from the context plus the artefact under artifact/." error={errors.runtimeDockerfile}>
            <input {...bind("runtimeDockerfile", true)} className={monoInputClass} />
          </Field>
          <Field name="artifactPath" label="Artefact path in the build image" hint="Absolute, e.g. /out/venv.tar.gz." error={errors.artifactPath}>
            <input {...bind("artifactPath", true)} className={monoInputClass} placeholder="/out/app.tar.gz" />
          </Field>
        </fieldset>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="buildArgs" label="Build args" hint="One KEY=value per line. A Dockerfile that declares ARG BASE_IMAGE gets the server's base image unless you set it here." error={errors.buildArgs}>
          <textarea {...bind("buildArgs", true)} className={monoInputClass} rows={4} placeholder={"BASE_IMAGE=debian:bookworm-slim\nAPP_ENV=production"} />
        </Field>
        <Field
          name="secretArgs"
          label="Secret build args (optional)"
          hint="Names, separated by spaces or commas, whose values are shown as *** everywhere and masked in stored logs. Names like *_TOKEN, *_PASSWORD, *_SECRET, *_KEY are secret already."
          error={errors.secretArgs}
        >
          <input {...bind("secretArgs", true)} className={monoInputClass} placeholder="LICENSE_CODE" />
        </Field>
        {secretNames.length > 0 && (
          <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 sm:col-span-2 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
            {secretNames.join(", ")} {secretNames.length === 1 ? "looks" : "look"} like a secret. Layerboard masks {secretNames.length === 1 ? "it" : "them"}, but a build arg is kept in the image&apos;s history for anyone who pulls the image: use build secrets instead (see <code className="break-all">{SECRET_ARGS_DOCS}</code>).
          </p>
        )}
        <Field
          name="smokeCommand"
          label="Smoke command (optional)"
          hint="One argument per line, run without a shell in a throw-away container. Empty: the image's own ENTRYPOINT/CMD."
          error={errors.smokeCommand}
        >
          <textarea {...bind("smokeCommand", true)} className={monoInputClass} rows={4} placeholder={"python3\n-m\nmyapp\n--version"} />
        </Field>
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="sizeBudgetMb" label="Size budget in MB (optional)" hint="1 MB = 1,000,000 bytes, like the sizes shown everywhere." error={errors.sizeBudgetMb}>
          <input {...bind("sizeBudgetMb", true)} className={inputClass} inputMode="decimal" />
        </Field>
        <Field name="regressionThresholdPct" label="Regression threshold % (optional)" hint="Flag a build that grows by more than this against the previous one." error={errors.regressionThresholdPct}>
          <input {...bind("regressionThresholdPct", true)} className={inputClass} inputMode="decimal" />
        </Field>
        <RadioGroup
          className="sm:col-span-2"
          legend="The budget and the threshold apply to"
          name="budgetBasis"
          options={[
            ["DISK", "Size on disk (uncompressed, on the engine)"],
            ["COMPRESSED", "Compressed size (what a pull downloads)"],
          ]}
          value={values.budgetBasis}
          onChange={(budgetBasis) => setValues((v) => ({ ...v, budgetBasis }))}
          error={errors.budgetBasis}
        />
        <Field
          name="registryBaseImage"
          label="Base image in the project's registry (optional)"
          hint="path[:tag] in the registry set on the project, pulled with its credentials before each build (e.g. team/python-base:3.11)."
          error={errors.registryBaseImage}
        >
          <input {...bind("registryBaseImage", true)} className={monoInputClass} placeholder="team/python-base:3.11" />
        </Field>
      </div>

      <div className="flex flex-wrap items-start gap-6">
        <RadioGroup
          legend="Builder"
          name="builder"
          options={[
            ["BUILDKIT", "BuildKit"],
            ["CLASSIC", "Classic"],
          ]}
          value={values.builder}
          onChange={(builder) => setValues((v) => ({ ...v, builder }))}
          error={errors.builder}
          hint="BuildKit builds get a session: build secrets (RUN --mount=type=secret, set on the project's settings page) and the project registry's credentials for FROM. A # syntax= frontend still needs the network. The classic builder ignores build secrets."
        />
        <RadioGroup
          legend="Smoke run privileges"
          name="smokePrivileges"
          options={[
            ["STRICT", "Strict"],
            ["RELAXED", "Relaxed"],
          ]}
          value={values.smokePrivileges}
          onChange={(smokePrivileges) => setValues((v) => ({ ...v, smokePrivileges }))}
          error={errors.smokePrivileges}
          hint="Strict: no capabilities, read-only root with a writable /tmp, no-new-privileges, 256 processes. Relaxed: the engine's defaults, for an image that must write outside /tmp."
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="noCache" checked={noCache} onChange={(e) => setNoCache(e.target.checked)} />
          No cache (--no-cache)
        </label>
      </div>

      <SubmitButton pending={pending} pendingLabel={pendingLabel}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
};
