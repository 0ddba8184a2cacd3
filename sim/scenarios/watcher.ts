/**
 * Installs the REAL AMI watcher (lambdas/watcher, `createAmiWatcherHandler`) in a simulated account, wired as
 * lib/watcher/ami-watcher.ts wires it: one Lambda (256 MB, 60 s, reserved concurrency 1), an hourly schedule, and a
 * rule for `aws.autoscaling` "EC2 Auto Scaling Instance Refresh *" + "EC2 Instance Launch Unsuccessful" + "EC2
 * Instance Terminate Successful" of the node group's ASG, and a rule for `aws.ssm` "Parameter Store Change" of the
 * approved parameter and the pause switch (names with and without the leading "/"). The launch template resolves
 * `resolve:ssm:<approved parameter>` at every launch (lib/ami/ami-ownership.ts), and the module's parameters start as
 * Terraform creates them: approved = previous = the current AMI (`aws:ec2:image`), state `{}`, pause `false`, deny list
 * `[]`. The notifier records instead of publishing; the logger keeps warnings and errors.
 */
import {
  createAmiWatcherHandler,
  PARAMETER_CHANGE_DETAIL_TYPE,
  sameParameterName,
  validateWatcherConfig,
  type AmiWatcherResult,
  type WatcherConfig,
} from '../../lambdas/watcher';
import type { Notification, Notifier, NotifyResult } from '../../lambdas/shared/notifier';
import type { GateLogger } from '../../lambdas/shared/observability';
import { currentInvocation, SimLambda, type Handler } from '../aws/lambda';
import type { BusEvent } from '../aws/eventbridge';
import type { World } from '../world';

export const WATCHER_PARAMETERS = {
  source: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
  approved: '/ecs-ami-rollout/prod/general/approved-ami',
  previous: '/ecs-ami-rollout/prod/general/previous-ami',
  state: '/ecs-ami-rollout/prod/general/watcher-state',
  pause: '/ecs-ami-rollout/prod/paused',
  denyList: '/ecs-ami-rollout/prod/denied-amis',
} as const;

/** lib/watcher/ami-watcher.ts: the rule's detail types besides the refresh events. */
const ACTIVITY_EVENTS = new Set(['EC2 Instance Launch Unsuccessful', 'EC2 Instance Terminate Successful']);

export interface WatcherInvocation {
  /** Virtual time the handler started. */
  readonly t: number;
  readonly event: string;
  readonly result: AmiWatcherResult;
}

export interface WatcherRecord {
  readonly config: WatcherConfig;
  readonly invocations: WatcherInvocation[];
  readonly notifications: {
    readonly t: number;
    readonly kind: string;
    readonly severity: string;
    readonly title: string;
  }[];
  /** Warnings and errors the watcher logged (message + decision/reason when present). */
  readonly problems: { readonly t: number; readonly level: 'warn' | 'error'; readonly message: string }[];
  readonly fn: SimLambda;
}

export interface WatcherOptions {
  readonly minAmiAgeHours: number;
  /** Seconds between scheduled runs (`rate(1 hour)` by default). */
  readonly schedulePeriodSeconds?: number;
  readonly refreshPreferences: {
    minHealthyPercentage: number;
    maxHealthyPercentage: number;
    instanceWarmupSeconds: number;
  };
  /** Fault injection: the watcher's runtime dies right after the first SSM call this matches succeeded (once). */
  readonly crashAfterSsmCall?: (command: string, input: Record<string, unknown>) => boolean;
}

type SendClient = { send(command: unknown): Promise<unknown> };

/** The SSM client, crashing the running invocation once right after the first matching call took effect. */
function crashingAfter(client: SendClient, matches: NonNullable<WatcherOptions['crashAfterSsmCall']>): SendClient {
  let fired = false;
  return {
    async send(command: unknown): Promise<unknown> {
      const output = await client.send(command);
      const c = command as { constructor: { name: string }; input?: Record<string, unknown> };
      const context = currentInvocation();
      if (!fired && context && matches(c.constructor.name.replace(/Command$/, ''), c.input ?? {})) {
        fired = true;
        context.fn.crash(context);
        await new Promise(() => undefined);
      }
      return output;
    },
  };
}

export function installWatcher(world: World, options: WatcherOptions): WatcherRecord {
  const p = WATCHER_PARAMETERS;
  const asg = world.asg;
  const ssm = world.ssm;
  ssm.publish(p.source, world.oldAmiId);
  ssm.publish(p.approved, world.oldAmiId, 'String', 'aws:ec2:image');
  ssm.publish(p.previous, world.oldAmiId, 'String', 'aws:ec2:image');
  ssm.publish(p.state, '{}');
  ssm.publish(p.pause, 'false');
  ssm.publish(p.denyList, '[]');
  // resolve:ssm: the AMI is whatever the approved parameter visibly holds at launch time.
  asg.imageResolver = () => ssm.value(p.approved) ?? world.oldAmiId;

  const config = validateWatcherConfig({
    clusterName: world.clusterName,
    clusterArn: world.clusterArn,
    nodeGroups: [
      {
        name: 'general',
        asgName: asg.name,
        mode: 'auto',
        sourceParameterName: p.source,
        approvedParameterName: p.approved,
        previousParameterName: p.previous,
        stateParameterName: p.state,
        refreshPreferences: options.refreshPreferences,
      },
    ],
    policy: { minAmiAgeHours: options.minAmiAgeHours },
    pauseParameterName: p.pause,
    denyListParameterName: p.denyList,
  });

  const record: Omit<WatcherRecord, 'fn'> = { config, invocations: [], notifications: [], problems: [] };
  const notifier: Notifier = {
    async notify(n: Notification): Promise<NotifyResult> {
      record.notifications.push({ t: world.sim.now, kind: n.kind, severity: n.severity, title: n.title });
      return { deduped: false, sns: 'skipped', webhook: 'skipped', delivered: false };
    },
  };
  const keep =
    (level: 'warn' | 'error') =>
    (message: string, ...fields: unknown[]): void => {
      const f = Object.assign({}, ...(fields as object[])) as Record<string, unknown>;
      const detail = [f.decision, f.reason, f.error].filter((x) => x !== undefined).join(' — ');
      record.problems.push({ t: world.sim.now, level, message: detail ? `${message}: ${detail}` : message });
    };
  const logger: GateLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: keep('warn'),
    error: keep('error'),
  };

  const makeHandler = (): Handler => {
    // THE SEAM: the production factory with fake clients and the virtual clock.
    const handler = createAmiWatcherHandler({
      ssm: options.crashAfterSsmCall ? crashingAfter(world.clients.ssm, options.crashAfterSsmCall) : world.clients.ssm,
      autoScaling: world.clients.autoScaling,
      ec2: world.clients.ec2,
      ecs: world.clients.ecs,
      now: () => world.sim.date(),
      config,
      logger,
      notifier,
    });
    return async (event: BusEvent) => {
      const startedAt = world.sim.now;
      const result = await handler(event);
      record.invocations.push({ t: startedAt, event: event['detail-type'], result });
      return result;
    };
  };
  const fn = new SimLambda(world, 'ami-watcher', makeHandler, {
    memoryMb: 256,
    timeoutSeconds: 60,
    maxConcurrency: 1,
    retryDelaysSeconds: world.timings.lambdaRetryDelaysSeconds,
  });
  world.bus.addRule({
    name: 'ami-watcher-events',
    matches: (e) =>
      e.source === 'aws.autoscaling' &&
      (e['detail-type'].startsWith('EC2 Auto Scaling Instance Refresh') || ACTIVITY_EVENTS.has(e['detail-type'])) &&
      e.detail.AutoScalingGroupName === asg.name,
    target: (e) => fn.invoke(e),
  });
  // lib/watcher/ami-watcher.ts 'approved-ami-events': source aws.ssm, detail.name ∈ approved names + the pause switch.
  world.bus.addRule({
    name: 'ami-watcher-approved-ami-events',
    matches: (e) =>
      e.source === 'aws.ssm' &&
      e['detail-type'] === PARAMETER_CHANGE_DETAIL_TYPE &&
      [p.approved, p.pause].some((name) =>
        sameParameterName(typeof e.detail.name === 'string' ? e.detail.name : undefined, name),
      ),
    target: (e) => fn.invoke(e),
  });
  world.bus.schedule('ami-watcher-schedule', options.schedulePeriodSeconds ?? 3600, (e) => fn.invoke(e));
  return { ...record, fn };
}
