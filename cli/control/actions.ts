/** `pause` / `resume` / `promote` implementations: confirmation, refusals, then the SSM and Auto Scaling writes. */
import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  ACTIVE_REFRESH_STATES,
  findNodeGroupAsgs,
  latestInstanceRefresh,
  launchTemplateImage,
  parameterNames,
  readParameter,
  requireCluster,
} from '../aws/module-resources';
import type { ControlFlags } from './flags';
import { CliDeps } from '../deps';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { refreshPreferencesFrom } from './refresh-preferences';

async function confirmOrRefuse(deps: CliDeps, flags: ControlFlags, question: string): Promise<void> {
  if (flags.yes) return;
  if (!deps.interactive) {
    throw new CliError(
      `refusing to ${question.replace(/\?$/, '')} without confirmation: no terminal to ask. Re-run with --yes.`,
      EXIT.REFUSED,
    );
  }
  if (!(await deps.confirm(question))) throw new CliError('not confirmed: nothing changed', EXIT.REFUSED);
}

export async function setPauseSwitch(deps: CliDeps, flags: ControlFlags, name: 'pause' | 'resume'): Promise<void> {
  const value = name === 'pause' ? 'true' : 'false';
  const clients = deps.awsClients(flags.region);
  await requireCluster(clients.ecs, flags.cluster);
  await findNodeGroupAsgs(clients.autoScaling, flags.cluster);
  const parameter = parameterNames.paused(flags.cluster);
  await confirmOrRefuse(
    deps,
    flags,
    `${name} the AMI rollout of cluster ${flags.cluster} (set ${parameter} = "${value}")?`,
  );
  await clients.ssm.send(new PutParameterCommand({ Name: parameter, Value: value, Type: 'String', Overwrite: true }));
  const effect = name === 'pause' ? 'stops promoting new AMIs and starting refreshes' : 'promotes new AMIs again';
  deps.stdout.write(`${parameter} = "${value}": the watcher ${effect}.\n`);
}

export async function promote(deps: CliDeps, amiId: string, flags: ControlFlags): Promise<void> {
  if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(amiId))
    throw new CliError(`"${amiId}" is not an AMI id (ami- and 8 or 17 hex digits)`, EXIT.USAGE);
  const clients = deps.awsClients(flags.region);
  await requireCluster(clients.ecs, flags.cluster);
  const asgs = await findNodeGroupAsgs(clients.autoScaling, flags.cluster);
  const names = asgs.map((a) => a.nodeGroup).join(', ');
  const target = flags.nodeGroup
    ? asgs.find((a) => a.nodeGroup === flags.nodeGroup)
    : asgs.length === 1
      ? asgs[0]
      : undefined;
  if (target === undefined) {
    throw flags.nodeGroup
      ? new CliError(
          `node group "${flags.nodeGroup}" not found in cluster ${flags.cluster} (it has: ${names})`,
          EXIT.NO_MODULE_RESOURCES,
        )
      : new CliError(`cluster ${flags.cluster} has several node groups (${names}): pass --node-group`, EXIT.USAGE);
  }
  const asgName = target.group.AutoScalingGroupName!;
  const image = await launchTemplateImage(clients.ec2, target.group);
  if (!image?.startsWith('resolve:ssm:')) {
    throw new CliError(
      `node group ${target.nodeGroup} is not in amiMode "auto" (its launch ` +
        `template uses ${image ?? 'no image'}): change the AMI in code and apply`,
      EXIT.REFUSED,
    );
  }
  const refresh = await latestInstanceRefresh(clients.autoScaling, asgName);
  if (refresh?.Status && ACTIVE_REFRESH_STATES.has(refresh.Status)) {
    throw new CliError(
      `refusing: instance refresh ${refresh.InstanceRefreshId} on ${asgName} is ` +
        `${refresh.Status} (${refresh.PercentageComplete ?? 0} %). Wait for it or cancel it first.`,
      EXIT.REFUSED,
    );
  }
  const approvedName = parameterNames.approvedAmi(flags.cluster, target.nodeGroup);
  const previousName = parameterNames.previousAmi(flags.cluster, target.nodeGroup);
  const current = await readParameter(clients.ssm, approvedName);
  const preferences = refreshPreferencesFrom(refresh);
  await confirmOrRefuse(
    deps,
    flags,
    `promote ${amiId} on node group ${target.nodeGroup} (now ${current ?? 'unset'}) ` +
      `and refresh ${asgName} (${target.group.DesiredCapacity ?? '?'} instances)?`,
  );
  if (current && current !== amiId) {
    await clients.ssm.send(
      new PutParameterCommand({
        Name: previousName,
        Value: current,
        Type: 'String',
        DataType: 'aws:ec2:image',
        Overwrite: true,
      }),
    );
  }
  await clients.ssm.send(
    new PutParameterCommand({
      Name: approvedName,
      Value: amiId,
      Type: 'String',
      DataType: 'aws:ec2:image',
      Overwrite: true,
    }),
  );
  const started = await clients.autoScaling.send(
    new StartInstanceRefreshCommand({ AutoScalingGroupName: asgName, Strategy: 'Rolling', Preferences: preferences }),
  );
  deps.stdout.write(
    `${approvedName} = ${amiId} (previous: ${current ?? 'unset'})\n` +
      `instance refresh ${started.InstanceRefreshId} started on ${asgName} (min ` +
      `${preferences.MinHealthyPercentage} % / max ${preferences.MaxHealthyPercentage} %)\n` +
      `follow it with: ecs-ami-rollout status --cluster ${flags.cluster} --watch\n`,
  );
}
