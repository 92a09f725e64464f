"use client";
// The create-project form: name, slug, description and where the build context comes from.
// An archive is uploaded on its own first (POST /api/context-archives); the form sends its id.
import { useState, type ChangeEvent } from "react";
import { formatBytes } from "@/lib/format/bytes";
import type { ContextKind } from "@/lib/types";
import type { FormAction } from "@/lib/actions/result";
import { Field, FieldError, FormError, SubmitButton, controlProps, inputClass, monoInputClass } from "./field";
import { useSetupForm } from "./use-setup-form";

type UploadedArchive = { id: string; filename: string; size: number; sha256: string };

const KINDS: { value: ContextKind; label: string; description: string }[] = [
  { value: "DIRECTORY", label: "Directory on the server", description: "A folder under one of the allowed roots, built in place." },
  { value: "GIT", label: "Git repository", description: "Cloned for each build at the given ref." },
  { value: "ARCHIVE", label: "Uploaded archive", description: "A .tar or .tar.gz, stored in the database." },
];

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);

export const ProjectForm = ({ action, roots, maxUploadBytes }: { action: FormAction; roots: string[]; maxUploadBytes: number }) => {
  const { error, fieldErrors: errors, pending, onSubmit } = useSetupForm(action);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [kind, setKind] = useState<ContextKind>("DIRECTORY");
  const [contextPath, setContextPath] = useState("");
  const [gitUrl, setGitUrl] = useState("");
  const [gitRef, setGitRef] = useState("");
  const [archive, setArchive] = useState<UploadedArchive | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setArchive(null);
    setUploadError(null);
    if (!file) return;
    if (file.size > maxUploadBytes) {
      setUploadError(`${file.name} is ${formatBytes(file.size)}, over the ${formatBytes(maxUploadBytes)} upload limit`);
      return;
    }
    setUploading(true);
    try {
      const body = new FormData();
      body.append("archive", file);
      const response = await fetch("/api/context-archives", { method: "POST", body });
      const json = (await response.json().catch(() => null)) as { archive?: UploadedArchive; error?: { message: string } } | null;
      if (!response.ok || !json?.archive) setUploadError(json?.error?.message ?? `upload failed (HTTP ${response.status})`);
      else setArchive(json.archive);
    } catch (error) {
      setUploadError(`upload failed: ${(error as Error).message}`);
    } finally {
      setUploading(false);
    }
  };

  const archiveError = uploadError ?? errors.archive;

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      <FormError message={error} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="name" label="Name" error={errors.name}>
          <input
            {...controlProps("name", errors.name)}
            className={inputClass}
            value={name}
            maxLength={80}
            required
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
          />
        </Field>
        <Field name="slug" label="Slug" hint="Lowercase letters, digits and -; used in image tags and URLs." error={errors.slug}>
          <input
            {...controlProps("slug", errors.slug, true)}
            className={monoInputClass}
            value={slug}
            maxLength={63}
            required
            onChange={(e) => {
              setSlug(e.target.value);
              setSlugEdited(true);
            }}
          />
        </Field>
      </div>
      <Field name="description" label="Description (optional)" error={errors.description}>
        <textarea {...controlProps("description", errors.description)} className={inputClass} rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Build context</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {KINDS.map((option) => (
            <label
              key={option.value}
              className="flex cursor-pointer gap-2 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50 dark:border-slate-700 dark:has-[:checked]:bg-indigo-950"
            >
              <input type="radio" name="contextKind" value={option.value} checked={kind === option.value} onChange={() => setKind(option.value)} />
              <span>
                <span className="block font-medium">{option.label}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">{option.description}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError name="contextKind" error={errors.contextKind} />

        {kind === "DIRECTORY" && (
          <Field
            name="contextPath"
            label="Directory"
            error={errors.contextPath}
            hint={
              <>
                Relative to an allowed root, or an absolute path inside one. Allowed roots (LAYERBOARD_CONTEXT_ROOTS):{" "}
                {roots.length ? (
                  roots.map((root, index) => (
                    <span key={root}>
                      {index > 0 && ", "}
                      <code data-testid="context-root">{root}</code>
                    </span>
                  ))
                ) : (
                  <em>none configured</em>
                )}
              </>
            }
          >
            <input {...controlProps("contextPath", errors.contextPath, true)} className={monoInputClass} value={contextPath} placeholder="my-app" onChange={(e) => setContextPath(e.target.value)} />
          </Field>
        )}

        {kind === "GIT" && (
          <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
            <Field name="gitUrl" label="Repository URL" hint="https://, http://, ssh://, git@host: or file://" error={errors.gitUrl}>
              <input {...controlProps("gitUrl", errors.gitUrl, true)} className={monoInputClass} value={gitUrl} placeholder="https://git.example.com/team/app.git" onChange={(e) => setGitUrl(e.target.value)} />
            </Field>
            <Field name="gitRef" label="Ref (optional)" hint="Branch, tag or commit; default HEAD." error={errors.gitRef}>
              <input {...controlProps("gitRef", errors.gitRef, true)} className={monoInputClass} value={gitRef} placeholder="main" onChange={(e) => setGitRef(e.target.value)} />
            </Field>
          </div>
        )}

        {kind === "ARCHIVE" && (
          <Field
            name="archive"
            label="Archive (.tar or .tar.gz)"
            hint={`Checked on upload: no absolute or ../ paths, no links leading out, at most ${formatBytes(maxUploadBytes)}.`}
            error={archiveError ?? undefined}
          >
            <input
              {...controlProps("archive", archiveError ?? undefined, true)}
              name={undefined}
              type="file"
              accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
              className="mt-1 block w-full text-sm"
              disabled={uploading}
              onChange={upload}
            />
            {uploading && (
              <p role="status" className="mt-1 text-sm text-slate-500">
                Uploading and checking…
              </p>
            )}
            {archive && (
              <p role="status" data-testid="uploaded-archive" className="mt-1 text-sm text-emerald-700 dark:text-emerald-400">
                Uploaded {archive.filename} ({formatBytes(archive.size)}), sha256 <code className="break-all">{archive.sha256.slice(0, 16)}…</code>
              </p>
            )}
            <input type="hidden" name="archiveId" value={archive?.id ?? ""} />
          </Field>
        )}
      </fieldset>

      <SubmitButton pending={pending || uploading} pendingLabel="Creating…">
        Create project
      </SubmitButton>
    </form>
  );
};
