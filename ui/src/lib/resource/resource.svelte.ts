// One piece of remote data with its loading and error state. A newer refresh always wins: an
// older response that arrives late is dropped, so fast filter changes never show stale rows.

export class Resource<T> {
  value: T | undefined = $state.raw(undefined);
  error: Error | null = $state.raw(null);
  loading = $state(false);
  #fetcher: () => Promise<T>;
  #sequence = 0;

  constructor(fetcher: () => Promise<T>) {
    this.#fetcher = fetcher;
  }

  async refresh(): Promise<void> {
    const sequence = ++this.#sequence;
    this.loading = true;
    try {
      const value = await this.#fetcher();
      if (sequence !== this.#sequence) return;
      this.value = value;
      this.error = null;
    } catch (error) {
      if (sequence !== this.#sequence) return;
      this.error = error instanceof Error ? error : new Error(String(error));
    } finally {
      if (sequence === this.#sequence) this.loading = false;
    }
  }

  /** Replace the value locally (optimistic updates). */
  set(value: T): void {
    this.value = value;
  }
}
