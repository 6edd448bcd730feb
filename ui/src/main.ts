// Entry point: applies the saved theme before the first paint, then mounts the shell.
import { mount } from 'svelte';
import App from './App.svelte';
import './lib/components/design-system.css';
import './app.css';
import { applyTheme, loadThemeChoice } from './lib/features/theme/theme';

applyTheme(loadThemeChoice());

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

export default mount(App, { target });
