// Svelte compiler options shared by vite, vitest and svelte-check.
/** @type {import("@sveltejs/vite-plugin-svelte").SvelteConfig} */
export default {
  compilerOptions: { runes: true },
};
