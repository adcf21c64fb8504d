// Debounced saving: many keystrokes become one write; flush() writes at once (pagehide,
// visibilitychange, before a reset) so nothing typed is lost. Timers are injected for tests.

export interface AutosaveOptions<T> {
  save(value: T): void;
  delayMs?: number;
  /** Called when save throws (storage full); the value stays pending and is retried on the next change or flush. */
  onError?(error: unknown): void;
  /** Called after a successful write. */
  onSaved?(value: T): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface Autosave<T> {
  /** Remember the newest value and write it after the delay (restarting the delay). */
  schedule(value: T): void;
  /** Write the pending value now, if any. Returns whether everything is saved. */
  flush(): boolean;
  /** Drop the pending value without writing it. */
  cancel(): void;
  readonly pending: boolean;
}

export function createAutosave<T>(options: AutosaveOptions<T>): Autosave<T> {
  const delay = options.delayMs ?? 400;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let hasPending = false;
  let value: T | undefined;

  const stopTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  const flush = (): boolean => {
    stopTimer();
    if (!hasPending) return true;
    try {
      options.save(value as T);
    } catch (err) {
      options.onError?.(err);
      return false;
    }
    hasPending = false;
    options.onSaved?.(value as T);
    return true;
  };
  return {
    schedule(next) {
      value = next;
      hasPending = true;
      stopTimer();
      timer = setTimer(flush, delay);
    },
    flush,
    cancel() {
      stopTimer();
      hasPending = false;
    },
    get pending() {
      return hasPending;
    },
  };
}
