/** Shared test kit for the gate tests: config, recording logger/metrics, fixtures and clock. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GateConfig, GateConfigInput, validateGateConfig } from '../../../../lambdas/shared/config';
import { GateMetricName, GateMetrics } from '../../../../lambdas/shared/observability';

export const CLUSTER_ARN = 'arn:aws:ecs:us-west-2:123456789012:cluster/prod';
export const ASG = 'my-asg';
export const LAUNCH_HOOK = 'launch-gate';
export const TERMINATE_HOOK = 'drain-gate';
export const T0 = new Date('2025-03-01T12:00:00.000Z');

export function at(secondsAfterT0: number): Date {
  return new Date(T0.getTime() + secondsAfterT0 * 1000);
}

export function testConfigInput(overrides: Partial<GateConfigInput> = {}): GateConfigInput {
  return {
    clusterName: 'prod',
    clusterArn: CLUSTER_ARN,
    nodeGroups: [
      {
        name: 'general',
        asgName: ASG,
        launchHookName: LAUNCH_HOOK,
        terminateHookName: TERMINATE_HOOK,
        launchHeartbeatSeconds: 300,
        terminateHeartbeatSeconds: 300,
      },
    ],
    ...overrides,
  };
}

export function testConfig(overrides: Partial<GateConfigInput> = {}): GateConfig {
  return validateGateConfig(testConfigInput(overrides));
}

export { recordingLogger } from '../../../support/recording-logger';
export type { LogLine } from '../../../support/recording-logger';
import type { LogLine } from '../../../support/recording-logger';

export interface MetricPoint {
  name: GateMetricName;
  unit: string;
  value: number;
  dimensions: { cluster: string; nodeGroup: string };
}

export function recordingMetrics(): GateMetrics & { points: MetricPoint[] } {
  const points: MetricPoint[] = [];
  return { points, record: (name, unit, value, dimensions) => points.push({ name, unit, value, dimensions }) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonEvent = Record<string, any>;

export function loadEvent(file: string): JsonEvent {
  return JSON.parse(readFileSync(join(__dirname, '../../../fixtures/aws-events', file), 'utf8')) as JsonEvent;
}

/** A copy of a documented sample event with envelope fields and detail fields replaced. */
export function adaptEvent(file: string, envelope: JsonEvent, detail: JsonEvent = {}): JsonEvent {
  const event = loadEvent(file);
  return { ...event, ...envelope, detail: { ...event.detail, ...detail } };
}

/** Decision lines only (one per instance and decision). */
export function decisionLines(logger: { lines: LogLine[] }): LogLine[] {
  return logger.lines.filter((line) => line.message.endsWith('gate decision'));
}
