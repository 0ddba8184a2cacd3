/**
 * AWS access for the CLI: four clients that only need `send(command)` (the same seam as the Lambdas, see
 * lambdas/shared/aws-client.ts), so tests inject
 * aws-sdk-client-mock clients (in process) or canned responses (the tmux test, through `CliDeps.awsClients`).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SendClient } from '../../lambdas/shared/aws-client';

export interface AwsClients {
  readonly ecs: SendClient;
  readonly autoScaling: SendClient;
  readonly ec2: SendClient;
  readonly ssm: SendClient;
  /** The clock (tests freeze it so that waits and ages render deterministically). */
  readonly now: () => Date;
  /** Region shown in the output (undefined: the SDK's default chain decides). */
  readonly region?: string;
}

/** Real SDK clients (standard retries). */
export function createAwsClients(region: string | undefined, env: NodeJS.ProcessEnv = process.env): AwsClients {
  const options = { region, retryMode: 'standard' as const };
  return {
    ecs: new ECSClient(options),
    autoScaling: new AutoScalingClient(options),
    ec2: new EC2Client(options),
    ssm: new SSMClient(options),
    now: () => new Date(),
    region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
  };
}
