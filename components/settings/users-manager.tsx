"use client";
// Administrators: list users, create one with a role, change a role, delete a user.
import { useActionState, useEffect, useState } from "react";
import type { UserDto } from "@/lib/data/users";
import type { Role } from "@/lib/auth/roles";
import type { FormAction } from "@/lib/actions/result";
import { ConfirmActionForm } from "./confirm-action-form";
import { ResetPasswordForm } from "./reset-password-form";
import { PASSWORD_POLICY } from "@/lib/auth/policy";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { Table } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format/date";
import { inputClass, primaryButtonClass, secondaryButtonClass, selectClass } from "@/components/ui/styles";

const ROLES: Role[] = ["VIEWER", "BUILDER", "ADMIN"];

/** The settings page's server actions, passed down as props. */
export type UsersActions = {
  createUser: FormAction<UserDto>;
  updateUserRole: FormAction<UserDto>;
  deleteUser: FormAction;
  /** Issue 13: an administrator sets another user's password. */
  resetPassword?: FormAction<{ revokedSessions: number }>;
};

const RoleOptions = () =>
  ROLES.map((role) => (
    <option key={role} value={role}>
      {role.toLowerCase()}
    </option>
  ));

const RoleForm = ({ user, updateUserRole }: { user: UserDto; updateUserRole: UsersActions["updateUserRole"] }) => {
  const [state, action, pending] = useActionState(updateUserRole, null);
  const [role, setRole] = useState<Role>(user.role);
  useEffect(() => setRole(user.role), [user.role]);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={user.id} />
      <select name="role" aria-label={`Role of ${user.email}`} value={role} onChange={(e) => setRole(e.target.value as Role)} className={selectClass}>
        <RoleOptions />
      </select>
      {role !== user.role && (
        <SubmitButton pending={pending} pendingLabel="Saving…" className={secondaryButtonClass}>
          Save role
        </SubmitButton>
      )}
      <ActionFailure state={state} />
    </form>
  );
};

// Controlled fields: React resets a form after its action runs, which would wipe what was
// typed when the server refuses it. The password is left to the reset on purpose.
const CreateUserForm = ({ createUser }: { createUser: UsersActions["createUser"] }) => {
  const [state, action, pending] = useActionState(createUser, null);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("VIEWER");
  useEffect(() => {
    if (!state?.ok) return;
    setEmail("");
    setName("");
    setRole("VIEWER");
  }, [state]);
  return (
    <form action={action} aria-label="Create user" className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 lg:grid-cols-5 dark:border-slate-800">
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" required maxLength={254} autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} className={inputClass} />
      </label>
      <label className="block text-sm font-medium">
        Name
        <input name="name" required maxLength={80} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} className={inputClass} />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" required minLength={10} maxLength={1024} autoComplete="new-password" className={inputClass} />
      </label>
      <label className="block text-sm font-medium">
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} className={`${selectClass} mt-1 w-full py-1.5`}>
          <RoleOptions />
        </select>
      </label>
      <div className="flex items-end">
        <SubmitButton pending={pending} pendingLabel="Creating…" className={primaryButtonClass}>
          Create user
        </SubmitButton>
      </div>
      <div className="sm:col-span-2 lg:col-span-5">
        <ActionFailure state={state} />
        {state?.ok && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Created {state.data.email} ({state.data.role.toLowerCase()}).
          </p>
        )}
      </div>
    </form>
  );
};

export const UsersManager = ({ users, currentUserId, actions }: { users: UserDto[]; currentUserId: string; actions: UsersActions }) => (
  <div className="space-y-4">
    <Table data-testid="users-table">
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Name</th>
          <th scope="col">Role</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => {
          const isSelf = user.id === currentUserId;
          return (
            <tr key={user.id} data-testid="user-row" data-email={user.email}>
              <td>{user.email}</td>
              <td>{user.name}</td>
              <td>{isSelf ? <span>{user.role.toLowerCase()} (you)</span> : <RoleForm user={user} updateUserRole={actions.updateUserRole} />}</td>
              <td className="whitespace-nowrap text-xs text-slate-500">{formatDateTime(user.createdAt)}</td>
              <td className="text-right">{!isSelf && (
                <div className="flex flex-wrap items-center justify-end gap-2">
                  {actions.resetPassword && <ResetPasswordForm action={actions.resetPassword} userId={user.id} email={user.email} minLength={PASSWORD_POLICY.minLength} />}
                  <ConfirmActionForm
                    action={actions.deleteUser}
                    id={user.id}
                    label="Delete"
                    confirmLabel="Confirm delete"
                    pendingLabel="Deleting…"
                    ariaLabel={`Delete ${user.email}`}
                    warning="Also deletes their sessions and the API tokens they created."
                  />
                </div>
                )}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
    <CreateUserForm createUser={actions.createUser} />
    <p className="text-xs text-slate-500 dark:text-slate-400">
      You cannot change your own role or delete yourself, and the last administrator cannot be demoted or deleted.
    </p>
  </div>
);
