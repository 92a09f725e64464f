"use client";
// Runs a setup server action from a form's submit event. Unlike <form action={…}>, this does
// not reset the form afterwards (React 19 resets forms after an action, and a controlled
// <select> then shows its first option while its state says otherwise).
import { startTransition, useActionState, type FormEvent } from "react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionState, FormAction } from "@/lib/actions/result";

const NO_FIELD_ERRORS: FieldErrors = {};

export const useSetupForm = <T = undefined>(action: FormAction<T>) => {
  const [state, dispatch, pending] = useActionState<ActionState<T>, FormData>(action, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  };
  const failure = state && !state.ok ? state.error : null;
  return { state, pending, onSubmit, error: failure?.message ?? null, fieldErrors: failure?.fields ?? NO_FIELD_ERRORS };
};
