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
    // `_`-prefixed names are deliberately unused (a parameter a signature requires, a type parameter kept for its position).
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
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
  // plain JavaScript outside the TypeScript project: this file, svelte.config.js and the Node-run browser suite
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [ts.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
