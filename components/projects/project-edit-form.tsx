"use client";
// Edit a project (issue 13): name, description and where the build context comes from. The slug
// stays as created (it names the images). Every field's error at once, what was typed kept.
import { useState } from "react";
import type { ContextKind, ProjectDto } from "@/lib/types";
import type { FormAction } from "@/lib/actions/result";
import { Field, FieldError, FormError, SubmitButton, controlProps, inputClass, monoInputClass } from "@/components/setup/field";
import { useSetupForm } from "@/components/setup/use-setup-form";

const KINDS: { value: ContextKind; label: string }[] = [
  { value: "DIRECTORY", label: "Directory on the server" },
  { value: "GIT", label: "Git repository" },
  { value: "ARCHIVE", label: "Uploaded archive" },
];

export const ProjectEditForm = ({ project, action }: { project: ProjectDto; action: FormAction }) => {
  const { state, error, fieldErrors: errors, pending, onSubmit } = useSetupForm(action);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [kind, setKind] = useState<ContextKind>(project.contextKind);
  const [contextPath, setContextPath] = useState(project.contextPath ?? "");
  const [gitUrl, setGitUrl] = useState(project.gitUrl ?? "");
  const [gitRef, setGitRef] = useState(project.gitRef ?? "");
  // An archive cannot be uploaded here: the choice is offered only to a project that has one.
  const kinds = KINDS.filter((k) => k.value !== "ARCHIVE" || project.contextKind === "ARCHIVE");
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Edit project">
      <input type="hidden" name="projectId" value={project.id} />
      <FormError message={error} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="name" label="Name" error={errors.name}>
          <input {...controlProps("name", errors.name)} className={inputClass} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field name="slug" label="Slug" hint="Names the images and the URLs; it stays as created.">
          <input id="field-slug" className={`${monoInputClass} opacity-70`} value={project.slug} readOnly aria-readonly="true" />
        </Field>
      </div>
      <Field name="description" label="Description (optional)" error={errors.description}>
        <textarea {...controlProps("description", errors.description)} className={inputClass} rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Build context</legend>
        <div className="flex flex-wrap gap-3 text-sm">
          {kinds.map((option) => (
            <label key={option.value} className="flex items-center gap-1">
              <input type="radio" name="contextKind" value={option.value} checked={kind === option.value} onChange={() => setKind(option.value)} />
              {option.label}
            </label>
          ))}
        </div>
        <FieldError name="contextKind" error={errors.contextKind} />
        {kind === "DIRECTORY" && (
          <Field name="contextPath" label="Directory" hint="Relative to an allowed root (LAYERBOARD_CONTEXT_ROOTS), or an absolute path inside one." error={errors.contextPath}>
            <input {...controlProps("contextPath", errors.contextPath, true)} className={monoInputClass} value={contextPath} onChange={(e) => setContextPath(e.target.value)} />
          </Field>
        )}
        {kind === "GIT" && (
          <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
            <Field name="gitUrl" label="Repository URL" error={errors.gitUrl}>
              <input {...controlProps("gitUrl", errors.gitUrl)} className={monoInputClass} value={gitUrl} onChange={(e) => setGitUrl(e.target.value)} />
            </Field>
            <Field name="gitRef" label="Ref (optional)" hint="Branch, tag or commit; default HEAD." error={errors.gitRef}>
              <input {...controlProps("gitRef", errors.gitRef, true)} className={monoInputClass} value={gitRef} onChange={(e) => setGitRef(e.target.value)} />
            </Field>
          </div>
        )}
        {kind === "ARCHIVE" && <p className="text-sm text-slate-500 dark:text-slate-400">Builds use the archive uploaded when the project was created.</p>}
      </fieldset>
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save project
        </SubmitButton>
        {state?.ok && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Saved. Past builds keep the settings they were built with.
          </p>
        )}
      </div>
    </form>
  );
};
