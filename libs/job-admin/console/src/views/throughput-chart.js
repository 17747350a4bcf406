import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const COLOURS = ['#1f6feb', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2'];

/** Jobs finished per minute over the last hour: all types, and each type that finished any. */
export function ThroughputChart({ overview }) {
  const holder = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    const busy = overview.types.filter((type) => type.finished_per_minute.some((n) => n > 0));
    const minutes = overview.minutes.map((iso) => Date.parse(iso) / 1000);
    const total = minutes.map((_, i) =>
      overview.types.reduce((sum, type) => sum + type.finished_per_minute[i], 0),
    );
    const data = [minutes, total, ...busy.map((type) => type.finished_per_minute)];
    const shape = ['all', ...busy.map((type) => type.type)].join();
    if (chart.current && chart.current.shape === shape) {
      chart.current.plot.setData(data);
      return;
    }
    chart.current?.plot.destroy();
    const options = {
      width: Math.max(320, holder.current.clientWidth),
      height: 220,
      series: [
        {},
        { label: 'all types', stroke: '#111827', width: 2 },
        ...busy.map((type, i) => ({ label: type.type, stroke: COLOURS[i % COLOURS.length] })),
      ],
      axes: [{}, { label: 'finished / min' }],
      scales: { x: { time: true } },
    };
    chart.current = { shape, plot: new uPlot(options, data, holder.current) };
  }, [overview]);
  useEffect(() => () => chart.current?.plot.destroy(), []);
  return html`<figure class="chart">
    <figcaption>Jobs finished per minute, last hour</figcaption>
    <div ref=${holder}></div>
  </figure>`;
}
