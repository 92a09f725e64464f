// A project's retention overrides, registry, build secrets and outgoing webhooks (issues 12, 17): administrators only.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { getProject } from "@/lib/data/projects";
import { nullIfNotFound } from "@/lib/data/not-found";
import { findProjectRetentions } from "@/lib/data/retention";
import { findWebhookDeliveries, findWebhooks } from "@/lib/data/webhooks";
import { Card } from "@/components/ui/card";
import { ProjectRetentionForm } from "@/components/projects/project-retention-form";
import { WebhooksManager } from "@/components/projects/webhooks-manager";
import { findPushDeliveries, findPushHook, findPushPoll } from "@/lib/data/push-hooks";
import { PushHookManager } from "@/components/projects/push-hook-manager";
import { deletePushHookAction, deletePushPollAction, rotatePushHookAction, savePushHookBranchAction, savePushPollAction } from "./push-actions";
import { deleteBuildSecretAction, deleteWebhookAction, saveBuildSecretAction, saveRegistryAction, saveWebhookAction, sendTestWebhookAction, updateRetentionAction } from "./actions";
import { ProjectRegistryForm } from "@/components/projects/project-registry-form";
import { findRegistryTarget, toRegistryTargetView } from "@/lib/data/registry";
import { findProjectSecrets, findVariantSecrets } from "@/lib/data/build-secrets";
import { BuildSecretsManager, type BuildSecretRow } from "@/components/projects/build-secrets-manager";

export const metadata = { title: "Project settings" };
export const dynamic = "force-dynamic";

const DELIVERIES_SHOWN = 20;

export default async function ProjectSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, actor] = await Promise.all([params, requirePageActor()]);
  const project = (await nullIfNotFound(getProject(id))) ?? notFound();
  const isAdmin = hasRole(actor.role, "ADMIN");
  const env = getEnv();
  const retention = (await findProjectRetentions()).find((p) => p.id === project.id);
  const registry = isAdmin ? toRegistryTargetView(await findRegistryTarget(project.id)) : null;
  // Issue 17 item 6: names and times only; the values never leave the server.
  const activeVariants = project.variants.filter((variant) => !variant.archivedAt);
  const secrets: BuildSecretRow[] = isAdmin
    ? [
        ...(await findProjectSecrets(project.id)).map((secret) => ({ ...secret, variantId: null, scope: "the whole project" })),
        ...(
          await Promise.all(
            activeVariants.map(async (variant) =>
              (await findVariantSecrets(variant.id)).map((secret) => ({ ...secret, variantId: variant.id, scope: `variant ${variant.name}` })),
            ),
          )
        ).flat(),
      ]
    : [];
  const webhooks = isAdmin
    ? await Promise.all((await findWebhooks(project.id)).map(async (w) => ({ ...w, deliveries: await findWebhookDeliveries(w.id, DELIVERIES_SHOWN) })))
    : [];
  // Build on push (issue 15): the hook, the poll and what they received.
  const [pushHook, pushPoll, pushDeliveries] = isAdmin
    ? await Promise.all([findPushHook(project.id), findPushPoll(project.id), findPushDeliveries(project.id, DELIVERIES_SHOWN)])
    : [null, null, []];
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          <Link href={`/projects/${project.id}`} className="hover:underline">
            {project.name}
          </Link>{" "}
          / settings
        </p>
        <h1 className="text-2xl font-semibold">Project settings</h1>
      </div>
      {!isAdmin ? (
        <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="admin-only-note">
          Retention and webhooks are managed by an administrator.
        </p>
      ) : (
        <>
          <Card title="Retention">
            <ProjectRetentionForm
              projectId={project.id}
              current={{ retainBuilds: retention?.retainBuilds ?? null, retainLogDays: retention?.retainLogDays ?? null }}
              defaults={{ retainBuilds: env.LAYERBOARD_RETAIN_BUILDS, retainLogDays: env.LAYERBOARD_RETAIN_LOG_DAYS }}
              action={updateRetentionAction}
            />
          </Card>
          <Card title="Registry">
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
              After a successful build whose image runs, the worker pushes it here and records the compressed size of each layer from the manifest.
            </p>
            <ProjectRegistryForm projectId={project.id} current={registry} action={saveRegistryAction} />
          </Card>
          <Card title="Build secrets">
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
              Mounted by BuildKit builds with <code>RUN --mount=type=secret,id=NAME</code> (the file <code>/run/secrets/NAME</code>, only
              during that step): served to the engine through the build&apos;s session, never as a build arg, so they stay out of the
              image, its history and the log. A variant&apos;s secret overrides the project&apos;s of the same name. The classic builder
              ignores secrets. A required mount whose secret is not defined fails the build naming it. A new value does not rebuild a
              cached step (BuildKit leaves secrets out of its cache key): build with no cache when a step must read it again.
            </p>
            <BuildSecretsManager
              projectId={project.id}
              secrets={secrets}
              variants={activeVariants.map((variant) => ({ id: variant.id, name: variant.name }))}
              actions={{ save: saveBuildSecretAction, remove: deleteBuildSecretAction }}
            />
          </Card>
          <Card title="Webhooks">
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
              Sent from the workers, retried with backoff. A webhook can reach any host the server can, internal ones included.
            </p>
            <WebhooksManager projectId={project.id} webhooks={webhooks} actions={{ save: saveWebhookAction, remove: deleteWebhookAction, sendTest: sendTestWebhookAction }} />
          </Card>
          <Card title="Build on push">
            <PushHookManager
              projectId={project.id}
              isGit={project.contextKind === "GIT"}
              gitRef={project.gitRef}
              hook={pushHook}
              poll={pushPoll}
              deliveries={pushDeliveries}
              actions={{ rotate: rotatePushHookAction, saveBranch: savePushHookBranchAction, remove: deletePushHookAction, savePoll: savePushPollAction, removePoll: deletePushPollAction }}
            />
          </Card>
        </>
      )}
    </div>
  );
}
