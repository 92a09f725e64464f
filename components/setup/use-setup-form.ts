"use client";
// Runs a setup server action from a form's submit event. Unlike <form action={…}>, this does
// not reset the form afterwards (React 19 resets forms after an action, and a controlled
// <select> then shows its first option while its state says otherwise).
import { startTransition, useActionState, type FormEvent } from "react";
import type { SetupFormState } from "./form-state";

export const useSetupForm = <T = undefined>(action: (state: SetupFormState<T>, form: FormData) => Promise<SetupFormState<T>>) => {
  const [state, dispatch, pending] = useActionState<SetupFormState<T>, FormData>(action, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  };
  return { state, pending, onSubmit };
};
