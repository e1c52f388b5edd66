import { mount } from 'svelte';
import App from './App.svelte';
import { Bench } from './lib/bench.svelte';
import { connectHost } from './lib/host';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing the #app element');

const bench = new Bench(connectHost());

export default mount(App, { target, props: { bench } });
