/**
 * Structured logging and EMF metrics behind two tiny interfaces, so handlers log one JSON line per decision and tests
 * or the simulator can inject recording / no-op implementations. Production uses Powertools Logger and Metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export type LogFields = Record<string, unknown>;

/** Subset of the Powertools Logger API the Lambdas use (Powertools' Logger satisfies it). */
export interface GateLogger {
  debug(message: string, ...fields: LogFields[]): void;
  info(message: string, ...fields: LogFields[]): void;
  warn(message: string, ...fields: LogFields[]): void;
  error(message: string, ...fields: LogFields[]): void;
}

export type GateMetricName =
  'LaunchGateSeconds' | 'DrainSeconds' | 'LaunchesAbandoned' | 'DrainsForced' | 'DrainsHeld' | 'StandaloneTasksStopped';

export type GateMetricUnit = 'Count' | 'Seconds';

/** Dimensions of every gate metric: one time series per cluster and node group. */
export interface GateMetricDimensions {
  readonly cluster: string;
  readonly nodeGroup: string;
}

export interface GateMetrics {
  record(name: GateMetricName, unit: GateMetricUnit, value: number, dimensions: GateMetricDimensions): void;
}

export const METRICS_NAMESPACE = 'EcsAmiRollout';

export function createPowertoolsLogger(): GateLogger {
  // Reads POWERTOOLS_SERVICE_NAME and LOG_LEVEL from the environment the construct sets.
  return new Logger();
}

/**
 * Each data point is emitted as its own EMF document (Powertools `singleMetric()`), because one invocation (a sweep)
 * can touch several node groups and a Metrics buffer holds one dimension set only.
 */
export function createPowertoolsMetrics(): GateMetrics {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });
  return {
    record(name, unit, value, dimensions) {
      const single = metrics.singleMetric();
      single.addDimensions({ cluster: dimensions.cluster, nodeGroup: dimensions.nodeGroup });
      single.addMetric(name, unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count, value);
    },
  };
}

export const noopLogger: GateLogger = { debug() {}, info() {}, warn() {}, error() {} };
export const noopMetrics: GateMetrics = { record() {} };
