import { describe, expect, it } from 'vitest';
import { Resource } from './resource.svelte';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Resource', () => {
  it('keeps the newest answer when an older one arrives late', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const resource = new Resource(() => (answers[call++] as ReturnType<typeof deferred<string>>).promise);
    const first = resource.refresh();
    const second = resource.refresh();
    answers[1]?.resolve('new');
    await second;
    answers[0]?.resolve('old');
    await first;
    expect(resource.value).toBe('new');
    expect(resource.loading).toBe(false);
  });

  it('records errors and clears them on the next success', async () => {
    let fail = true;
    const resource = new Resource(() => (fail ? Promise.reject(new Error('boom')) : Promise.resolve(42)));
    await resource.refresh();
    expect(resource.error?.message).toBe('boom');
    fail = false;
    await resource.refresh();
    expect(resource.error).toBeNull();
    expect(resource.value).toBe(42);
  });
});
