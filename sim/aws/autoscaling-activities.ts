/**
 * The scaling activities of a simulated Auto Scaling group and the "EC2 Instance Launch / Terminate …" events they
 * emit. Shapes follow the Activity API reference (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Activity.html:
 * StatusCode … | Successful | Failed | Cancelled) and the EventBridge samples of "Amazon EC2 Auto Scaling event
 * reference" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html;
 * __tests__/fixtures/aws-events/watcher/autoscaling-instance-launch-successful.json, whose StatusCode is "InProgress").
 * - a launch's Description names its instance ("Launching a new EC2 instance: i-…"); a launch EC2 refused has no
 *   instance ("Launching a new EC2 instance.  Status Reason: …") and ends Failed;
 * - a launch whose lifecycle action was ABANDONed ends Cancelled with the message below. *Assumption*: the wording of
 *   StatusMessage (AWS documents the field, not its text); the watcher does not rely on it (refresh-evidence.ts).
 * Takes a narrow context, not the whole simulated world.
 */

export interface Activity {
  readonly ActivityId: string;
  readonly Description: string;
  readonly Cause: string;
  readonly StartTime: number;
  EndTime?: number;
  StatusCode: string;
  StatusMessage?: string;
}

/** What the log needs from the simulation. */
export interface ActivityContext {
  readonly region: string;
  readonly account: string;
  now(): number;
  date(at?: number): Date;
  publish(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): void;
}

export function abandonMessage(token: string): string {
  return (
    `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${token} was abandoned: ` +
    'Lifecycle Action Completed with ABANDON Result'
  );
}

export class ActivityLog {
  /** Newest first, as DescribeScalingActivities lists them. */
  readonly activities: Activity[] = [];

  constructor(
    private readonly ctx: ActivityContext,
    private readonly groupName: string,
    private readonly groupArn: string,
  ) {}

  start(description: string, cause: string): Activity {
    this.activities.unshift({
      ActivityId: `${this.activities.length + 1}`.padStart(8, '0'),
      Description: description,
      Cause: `At ${this.ctx.date().toISOString()} ${cause}.`,
      StartTime: this.ctx.now(),
      StatusCode: 'InProgress',
    });
    return this.activities[0];
  }

  end(activity: Activity | undefined, statusCode: string, message?: string): void {
    if (activity === undefined) return;
    activity.StatusCode = statusCode;
    activity.EndTime = this.ctx.now();
    if (message !== undefined) activity.StatusMessage = message;
  }

  /** The open termination activity of an instance. */
  terminationOf(instanceId: string): Activity | undefined {
    return this.activities.find(
      (a) => a.Description === `Terminating EC2 instance: ${instanceId}` && a.StatusCode === 'InProgress',
    );
  }

  /**
   * "EC2 Instance Launch Successful / Unsuccessful", "EC2 Instance Terminate Successful", with the field names of AWS's
   * sample. Published only when a rule listens (EventBridge.publish), so other scenarios are unaffected.
   */
  publish(
    detailType: string,
    instanceId: string | undefined,
    activity: Activity | undefined,
    statusCode: string,
  ): void {
    const ctx = this.ctx;
    const resources = [this.groupArn];
    if (instanceId) resources.push(`arn:aws:ec2:${ctx.region}:${ctx.account}:instance/${instanceId}`);
    ctx.publish(detailType, 'aws.autoscaling', resources, {
      StatusCode: statusCode,
      Description: activity?.Description ?? '',
      AutoScalingGroupName: this.groupName,
      ActivityId: activity?.ActivityId ?? '00000000',
      Details: { 'Availability Zone': 'us-east-1a', 'Subnet ID': 'subnet-0sim00000000001' },
      RequestId: activity?.ActivityId ?? '00000000',
      StatusMessage: activity?.StatusMessage ?? '',
      EndTime: ctx.date().toISOString(),
      ...(instanceId ? { EC2InstanceId: instanceId } : {}),
      StartTime: ctx.date(activity?.StartTime ?? ctx.now()).toISOString(),
      Cause: activity?.Cause ?? '',
    });
  }
}
