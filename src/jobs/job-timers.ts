/** setTimeout and clearTimeout, injected so tests move time by hand. */
export interface JobTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Unref'd: pending renewals or polls never keep the process alive on their own. */
export const systemTimers: JobTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
