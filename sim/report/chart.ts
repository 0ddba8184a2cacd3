/**
 * Healthy capacity over time as an SVG, rendered by vega-lite → vega View.toSVG() (no hand-built SVG). vega and
 * vega-lite are ESM-only with top-level await, so they are loaded with a real dynamic import (TypeScript would turn
 * `import()` into `require()` under CommonJS).
 */
import { writeFileSync } from 'node:fs';

export interface Series {
  readonly strategy: string;
  readonly points: readonly { t: number; pct: number }[];
}

/** The part of vega-lite's API used here. */
interface VegaLiteModule {
  compile(spec: Record<string, unknown>): { spec: unknown };
}
/** The part of vega's API used here. */
interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void };
}

const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

export function chartSpec(series: readonly Series[], title: string): Record<string, unknown> {
  const values = series.flatMap((s) => {
    const points = s.points.map((p) => ({ strategy: s.strategy, minutes: Number((p.t / 60).toFixed(3)), pct: p.pct }));
    return points;
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 720,
    height: 320,
    background: 'white',
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
    encoding: {
      x: { field: 'minutes', type: 'quantitative', title: 'minutes since the rollout started' },
      y: { field: 'pct', type: 'quantitative', title: 'healthy capacity (% of desired: ECS ACTIVE, agent connected)' },
      color: { field: 'strategy', type: 'nominal', title: 'strategy' },
    },
  };
}

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vegaLite = await importEsm<VegaLiteModule>('vega-lite');
  const vega = await importEsm<VegaModule>('vega');
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg: string = await view.toSVG();
  view.finalize();
  return svg;
}

export async function writeChart(path: string, series: readonly Series[], title: string): Promise<void> {
  writeFileSync(path, await renderSvg(chartSpec(series, title)));
}
