// Confirm and prompt with the native <dialog> (showModal): focus moves in, stays in, Esc cancels and
// focus returns to where it was. Both live in Workspace.astro's markup.
import type { ConfirmOptions, PromptOptions } from './contract.ts';

export function confirmDialog(root: HTMLElement, o: ConfirmOptions): Promise<boolean> {
  const dialog = root.querySelector<HTMLDialogElement>('dialog[data-lp-confirm]')!;
  dialog.querySelector('[data-lp-dialog-title]')!.textContent = o.title;
  dialog.querySelector('[data-lp-dialog-body]')!.textContent = o.body;
  const ok = dialog.querySelector<HTMLButtonElement>('[data-lp-dialog-ok]')!;
  ok.textContent = o.confirmLabel;
  ok.classList.toggle('lp-btn--danger', !!o.danger);
  // Cancel has the first focus: Enter on a destructive question should not destroy.
  return show(dialog, () => true, dialog.querySelector<HTMLButtonElement>('[data-lp-dialog-cancel]')!).then((v) => v === true);
}

export function promptDialog(root: HTMLElement, o: PromptOptions): Promise<string | null> {
  const dialog = root.querySelector<HTMLDialogElement>('dialog[data-lp-prompt]')!;
  dialog.querySelector('[data-lp-dialog-title]')!.textContent = o.title;
  dialog.querySelector('[data-lp-prompt-label]')!.textContent = o.label;
  dialog.querySelector<HTMLButtonElement>('[data-lp-dialog-ok]')!.textContent = o.confirmLabel;
  const input = dialog.querySelector<HTMLInputElement>('input')!;
  const error = dialog.querySelector<HTMLElement>('[data-lp-prompt-error]')!;
  input.value = o.value ?? '';
  input.removeAttribute('aria-invalid');
  error.textContent = '';
  return show(
    dialog,
    () => {
      const message = o.validate(input.value);
      if (message === null) return input.value;
      error.textContent = message;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return undefined;
    },
    input,
  );
}

/** `accept` returns the result, or undefined to keep the dialog open (invalid input). */
function show<T>(dialog: HTMLDialogElement, accept: () => T | undefined, initialFocus: HTMLElement): Promise<T | null> {
  const returnTo = document.activeElement as HTMLElement | null;
  const form = dialog.querySelector('form')!;
  return new Promise((resolve) => {
    const finish = (value: T | null) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      returnTo?.focus();
      resolve(value);
    };
    const onSubmit = (e: Event) => {
      e.preventDefault();
      const submitter = (e as SubmitEvent).submitter;
      if (submitter?.hasAttribute('data-lp-dialog-cancel')) return finish(null);
      const v = accept();
      if (v !== undefined) finish(v);
    };
    const onClose = () => finish(null);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    initialFocus.focus();
    if (initialFocus instanceof HTMLInputElement) initialFocus.select();
  });
}
