// Settings: engine, database and configuration for everyone; users and API tokens for admins.
import { Suspense } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { findUsers } from "@/lib/data/users";
import { findApiTokens } from "@/lib/data/api-tokens";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/states";
import { SystemInfo } from "@/components/settings/system-info";
import { Configuration } from "@/components/settings/configuration";
import { RolesTable } from "@/components/settings/roles-table";
import { UsersManager } from "@/components/settings/users-manager";
import { ApiTokensManager } from "@/components/settings/api-tokens-manager";
import { DiskUsage } from "@/components/settings/disk-usage";
import { RetentionPanel } from "@/components/settings/retention-panel";
import { ConfirmActionForm } from "@/components/settings/confirm-action-form";
import { getEnv } from "@/lib/env";
import { pruneBuildCacheAction, retentionDryRunAction, runRetentionNowAction } from "./retention-actions";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { PASSWORD_POLICY } from "@/lib/auth/policy";
import { changeOwnPasswordAction, resetUserPasswordAction } from "./password-actions";
import { createApiTokenAction, createUserAction, deleteUserAction, revokeApiTokenAction, updateUserRoleAction } from "./actions";

export const metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const actor = await requirePageActor();
  const isAdmin = actor.kind === "user" && hasRole(actor.role, "ADMIN");
  const [users, tokens] = isAdmin ? await Promise.all([findUsers(), findApiTokens()]) : [[], []];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Card title="Engine and database">
        <Suspense fallback={<LoadingBlock label="Asking the engine and the database…" height="h-24" />}>
          <SystemInfo />
        </Suspense>
      </Card>
      <Card title="Engine disk usage">
        <Suspense fallback={<LoadingBlock label="Asking the engine for its disk usage…" height="h-24" />}>
          <DiskUsage
            pruneControl={
              isAdmin ? (
                <ConfirmActionForm
                  action={pruneBuildCacheAction}
                  id="build-cache"
                  label="Prune build cache"
                  confirmLabel="Prune it"
                  pendingLabel="Pruning…"
                  ariaLabel="Prune the engine's build cache"
                  warning="Every unused cache record goes; the next builds take longer."
                />
              ) : undefined
            }
          />
        </Suspense>
      </Card>
      {isAdmin && (
        <Card title="Retention">
          <RetentionPanel
            defaults={{ retainBuilds: getEnv().LAYERBOARD_RETAIN_BUILDS, retainLogDays: getEnv().LAYERBOARD_RETAIN_LOG_DAYS, cron: getEnv().LAYERBOARD_RETENTION_CRON }}
            actions={{ dryRun: retentionDryRunAction, runNow: runRetentionNowAction }}
          />
        </Card>
      )}
      <Card title="Configuration">
        <Configuration />
      </Card>
      {actor.kind === "user" && (
        <Card title="Your password">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
            Signed in as {actor.email}. Changing the password signs out your other sessions; the generated first administrator password is changed here too.
          </p>
          <ChangePasswordForm action={changeOwnPasswordAction} minLength={PASSWORD_POLICY.minLength} />
        </Card>
      )}
      <Card title="Roles">
        <RolesTable current={actor.role} />
      </Card>
      {isAdmin && actor.kind === "user" ? (
        <>
          <Card title="Users">
            <UsersManager
              users={users}
              currentUserId={actor.userId}
              actions={{ createUser: createUserAction, updateUserRole: updateUserRoleAction, deleteUser: deleteUserAction, resetPassword: resetUserPasswordAction }}
            />
          </Card>
          <Card title="API tokens">
            <ApiTokensManager tokens={tokens} actions={{ createApiToken: createApiTokenAction, revokeApiToken: revokeApiTokenAction }} />
          </Card>
        </>
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="admin-only-note">
          Users and API tokens are managed by an administrator.
        </p>
      )}
    </div>
  );
}
