/**
 * Sensitivity of the AMI release figures to the assumptions of the Auto Scaling, EC2 and SSM models they rest on
 * (docs/aws-contract.md): each assumed value halved and doubled, the scenarios it can move re-run over seeds, and the
 * figure compared with the value as modelled. `npm run sim:release -- --sensitivity [--seeds K]` prints the table.
 */
import type { LatencySpec, Timings } from '../timings';
import { TIMINGS } from '../timings';
import { runRelease, scenarioSpec, type ScenarioName } from './ami-release';
import { summarize, type ReleaseFigures } from './release-figures';

export interface ReleaseAssumption {
  readonly name: string;
  /** The timings it scales (latencies: median, min and max; numbers: the value). */
  readonly keys: readonly (keyof Timings)[];
  readonly scenarios: readonly ScenarioName[];
  /** The figure it can move, and how to read it off a run. */
  readonly figure: string;
  readonly read: (f: ReleaseFigures) => number | null;
  /** Values as [halved, doubled] when halving/doubling makes no sense for an integer count. */
  readonly values?: readonly [number, number];
}

const rollbackMinutes = (f: ReleaseFigures) => f.rollbackMinutes;
const rolloutMinutes = (f: ReleaseFigures) => f.rolloutMinutes;

export const RELEASE_ASSUMPTIONS: readonly ReleaseAssumption[] = [
  {
    name: 'refresh fails after N failed launches (N = 3)',
    keys: ['refreshMaxFailedReplacements'],
    scenarios: ['bad-ami', 'half-bad-ami', 'launch-failure-during-rollback'],
    figure: 'rollback minutes',
    read: rollbackMinutes,
    values: [2, 6],
  },
  {
    name: 'Auto Scaling evaluation periods (refresh 15 s, capacity 10 s; Cancelling lasts one)',
    keys: ['refreshTickSeconds', 'asgTickSeconds'],
    scenarios: ['good-ami', 'terraform-apply-during-rollout', 'half-bad-ami'],
    figure: 'rollout / rollback minutes',
    read: (f) => rolloutMinutes(f) ?? rollbackMinutes(f),
  },
  {
    name: 'SSM aws:ec2:image validation (median 3 s)',
    keys: ['ssmImageValidation'],
    scenarios: ['good-ami'],
    figure: 'seconds from approved = B to the refresh',
    read: (f) => f.promotionToRefreshSeconds,
  },
  {
    name: 'EC2 boot → ECS registration',
    keys: ['ec2PendingToRunning', 'ec2BootToAgent', 'ecsRegistration'],
    scenarios: ['good-ami', 'half-bad-ami'],
    figure: 'rollout / rollback minutes',
    read: (f) => rolloutMinutes(f) ?? rollbackMinutes(f),
  },
];

function scaled(key: keyof Timings, factor: number): Partial<Timings> {
  const value = TIMINGS[key] as number | LatencySpec;
  if (typeof value === 'number') return { [key]: value * factor } as Partial<Timings>;
  const spec = value as LatencySpec;
  return { [key]: { ...spec, median: spec.median * factor, min: spec.min * factor, max: spec.max * factor } };
}

function override(assumption: ReleaseAssumption, which: 0 | 1): Partial<Timings> {
  if (assumption.values) return { [assumption.keys[0]]: assumption.values[which] } as Partial<Timings>;
  return Object.assign({}, ...assumption.keys.map((key) => scaled(key, which === 0 ? 0.5 : 2)));
}

async function meanFigure(
  assumption: ReleaseAssumption,
  scenario: ScenarioName,
  timings: Partial<Timings>,
  seeds: number,
  instances: number,
): Promise<string> {
  const values: number[] = [];
  const outcomes = new Set<string>();
  for (let seed = 1; seed <= seeds; seed++) {
    const spec = scenarioSpec(scenario, instances, seed);
    const f = summarize(spec.name, await runRelease({ ...spec, timings: { ...spec.timings, ...timings } }));
    outcomes.add(f.outcome);
    const value = assumption.read(f);
    if (value !== null) values.push(value);
  }
  const mean = values.length === 0 ? '—' : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1);
  return `${mean} (${[...outcomes].join('/')})`;
}

/** Markdown rows: assumption · scenario · figure · halved · as modelled · doubled (mean over seeds 1..K). */
export async function releaseSensitivity(seeds: number, instances: number): Promise<string[]> {
  const rows: string[] = [];
  for (const assumption of RELEASE_ASSUMPTIONS) {
    for (const scenario of assumption.scenarios) {
      const cells = [
        await meanFigure(assumption, scenario, override(assumption, 0), seeds, instances),
        await meanFigure(assumption, scenario, {}, seeds, instances),
        await meanFigure(assumption, scenario, override(assumption, 1), seeds, instances),
      ];
      rows.push(`| ${assumption.name} | ${scenario}@${instances} · ${assumption.figure} | ${cells.join(' | ')} |`);
    }
  }
  return rows;
}
