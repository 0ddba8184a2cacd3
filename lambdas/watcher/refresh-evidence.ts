/**
 * Evidence about a refresh from the Auto Scaling group's scaling activities (pure). Activities are documented in the
 * Activity API reference (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Activity.html): StatusCode is
 * one of PendingSpotBidPlacement … Successful | Failed | Cancelled, and a launch's Description names its instance
 * ("Launching a new EC2 instance: i-…", as in the "EC2 Instance Launch Successful" sample of
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html).
 *
 * - A launch that got an instance and then ended Failed/Cancelled: the instance never went InService — for our groups
 *   that is the launch gate's ABANDON (never joined the cluster, REGISTRATION_FAILED, verifyAmi failed), which the gate
 *   also reports as the LaunchesAbandoned metric. Evidence against the AMI it booted.
 * - A launch that failed before any instance existed (no instance id: InsufficientInstanceCapacity, instance limits,
 *   RunInstances throttling): nothing to do with the AMI.
 * - A termination whose Cause names a health check: Auto Scaling replaced an unhealthy instance. *Assumption*: the
 *   Cause text mentions "health" (AWS documents the field, not its wording).
 */
import type { RefreshEvidence } from './types';

/** The fields of an Activity the classification reads. */
export interface ActivityRecord {
  readonly Description?: string;
  readonly Cause?: string;
  readonly StatusCode?: string;
  readonly StartTime?: Date;
}

const INSTANCE_ID = /\bi-[0-9a-f]{8,17}\b/;
const ENDED_BADLY = new Set(['Failed', 'Cancelled']);

export const NO_EVIDENCE: RefreshEvidence = { abandonedLaunches: 0, failedLaunches: 0, healthReplacements: 0 };

export function classifyActivities(activities: readonly ActivityRecord[], since: Date): RefreshEvidence {
  let abandonedLaunches = 0;
  let failedLaunches = 0;
  let healthReplacements = 0;
  let lastFailedLaunchAt: Date | undefined;
  for (const activity of activities) {
    if (activity.StartTime === undefined || activity.StartTime.getTime() < since.getTime()) continue;
    const description = activity.Description ?? '';
    if (description.startsWith('Launching')) {
      if (!ENDED_BADLY.has(activity.StatusCode ?? '')) continue;
      if (INSTANCE_ID.test(description)) abandonedLaunches++;
      else failedLaunches++;
      if (lastFailedLaunchAt === undefined || activity.StartTime > lastFailedLaunchAt)
        lastFailedLaunchAt = activity.StartTime;
    } else if (description.startsWith('Terminating') && /health/i.test(activity.Cause ?? '')) {
      healthReplacements++;
    }
  }
  return { abandonedLaunches, failedLaunches, healthReplacements, lastFailedLaunchAt };
}

/** Evidence that the AMI is at fault: a launch the gate abandoned or a health-check replacement. */
export function againstAmi(evidence: RefreshEvidence): boolean {
  return evidence.abandonedLaunches > 0 || evidence.healthReplacements > 0;
}

export function describeEvidence(evidence: RefreshEvidence): string {
  return (
    `${evidence.abandonedLaunches} launch(es) abandoned by the launch gate, ${evidence.healthReplacements} ` +
    `health-check replacement(s), ${evidence.failedLaunches} launch(es) EC2 refused`
  );
}
