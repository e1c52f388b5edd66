import { mount } from 'svelte';
import App from './App.svelte';
import { Bench } from './lib/bench.svelte';
import { connectHost } from './lib/host';
import { startTheme } from './lib/theme';
import './styles.css';

// Before the first paint of the app, so it never flashes the other theme.
const theme = startTheme();

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing the #app element');

const host = connectHost();
host.setTheme?.(theme);
const bench = new Bench(host);

export default mount(App, { target, props: { bench } });
