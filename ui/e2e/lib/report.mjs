// One line per check (PASS/FAIL with the reason) and the closing `N passed, M failed` line that CI reads.
export function createReport() {
  let passed = 0;
  let failed = 0;
  return {
    /** Runs one check; a thrown error fails it (and only it). Returns the function's value or undefined. */
    async check(name, run) {
      const started = Date.now();
      try {
        const detail = await run();
        passed += 1;
        console.log(`PASS ${name}${typeof detail === 'string' && detail ? ` — ${detail}` : ''} (${Date.now() - started} ms)`);
        return detail;
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    },
    info(text) {
      console.log(`INFO ${text}`);
    },
    finish() {
      console.log(`${passed} passed, ${failed} failed`);
      return failed === 0 && passed > 0;
    },
  };
}

/** Throws with a message naming what differed. */
export function expectEqual(actual, expected, what) {
  if (!Object.is(actual, expected)) throw new Error(`${what}: page shows ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}
