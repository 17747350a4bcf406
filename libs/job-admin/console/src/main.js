import 'uplot/dist/uPlot.min.css';
import './console.css';
import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './app.js';

render(html`<${App} />`, document.getElementById('console'));
