/** Props of the AMI watcher, their defaults and their validation, stated once (construct and module use them). */
import { ITerraformIterator, Token } from 'cdktf';
import { ControlPlaneProps } from '../control-plane';
import { validateSweepSchedule } from '../gates/gate-settings';
import { checkIntegerRange, checkName, invalid } from '../validation';

/** Defaults of the AMI watcher, defined once. */
export const AMI_WATCHER_DEFAULTS = {
  schedule: 'rate(1 hour)',
  /** A day lets AWS pull a broken release before it reaches the fleet. */
  minAmiAgeHours: 24,
  /** One host that never joins can be bad luck; three launches of the new AMI abandoned in one refresh are not. */
  abandonedLaunchesToRollBack: 3,
} as const;

/** A UTC maintenance window: promotions (auto mode) start only inside one. */
export interface MaintenanceWindow {
  /** Weekdays, e.g. ['Tue', 'Wed', 'Thu']. */
  readonly days: ('Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun')[];
  /** First hour (UTC, 0–23) of the window. */
  readonly startHour: number;
  /** Hour (UTC, 1–24) the window ends, exclusive. */
  readonly endHour: number;
}

/** Options of the AMI watcher. */
export interface AmiWatcherOptions {
  /**
   * How often the source parameters are checked (AWS publishes no release event for ECS Linux AMIs any more).
   * @default 'rate(1 hour)'
   */
  readonly schedule?: string;
  /**
   * Minimum age of a new AMI (since its creation date) before it is promoted.
   * @default 24
   */
  readonly minAmiAgeHours?: number;
  /**
   * UTC windows in which promotions may start.
   * @default [] (any time)
   */
  readonly maintenanceWindows?: MaintenanceWindow[];
  /**
   * gitops mode: SSM SecureString parameter holding a pipeline webhook URL to POST when a new AMI is available.
   * @default none
   */
  readonly pipelineWebhookParameterName?: string;
  /**
   * Also evaluate when this SNS topic publishes — meant for the legacy ECS-optimized AMI update topic. Off by default:
   * AWS stopped announcing Linux ECS AMI releases there in 2021, so the hourly poll of the public parameter is what
   * detects them; a message only triggers an ordinary evaluation (its body is not trusted).
   *
   * Terraform note: refreshing a subscription to an AWS-owned topic in another account can fail with
   * `AuthorizationError … 403` in some hashicorp/aws versions (the provider reads attributes it may not read).
   * @default none
   */
  readonly legacyAmiTopicArn?: string;
  /**
   * auto mode: launches of the new AMI the launch gate abandoned during the watcher's refresh after which the watcher
   * cancels the refresh, denies the AMI and rolls back (AWS documents no failure count of its own and launches an
   * abandoned replacement again, possibly forever). 0 = roll back only when Auto Scaling fails the refresh.
   * @default 3
   */
  readonly abandonedLaunchesToRollBack?: number;
  /**
   * auto mode: seconds after which the watcher's refresh counts as stuck; the watcher then cancels it and decides from
   * the evidence (roll back, or hold the rollout for an operator).
   * @default derived per refresh from the group size, warm-up, checkpoints and lifecycle-hook timeouts
   */
  readonly refreshDeadlineSeconds?: number;
  /**
   * Log retention in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link AmiWatcher}. */
export interface AmiWatcherProps extends AmiWatcherOptions, ControlPlaneProps {
  /**
   * For ONE node group built from a `for_each` iterator (the plain Terraform module): the per-node-group state
   * parameter is created once with `for_each` over this iterator, and referred to by its name (an iterated resource
   * cannot be referred to without a key from the list expressions).
   * @default one state parameter per NodeGroup construct
   */
  readonly nodeGroupIterator?: ITerraformIterator;
}

/** Validated props with defaults applied; throws with the prop, the value and the fix. */
export function resolveAmiWatcherProps(props: AmiWatcherProps): {
  readonly schedule: string;
  readonly minAge: number;
  readonly abandonedLaunchesToRollBack: number;
} {
  const schedule = props.schedule ?? AMI_WATCHER_DEFAULTS.schedule;
  validateSweepSchedule(schedule, 'AmiWatcher.schedule');
  const minAge = props.minAmiAgeHours ?? AMI_WATCHER_DEFAULTS.minAmiAgeHours;
  checkIntegerRange('AmiWatcher.minAmiAgeHours', minAge, 0, 720, 'use 0 (promote at once) to 720 hours');
  const abandonedLaunchesToRollBack =
    props.abandonedLaunchesToRollBack ?? AMI_WATCHER_DEFAULTS.abandonedLaunchesToRollBack;
  checkIntegerRange(
    'AmiWatcher.abandonedLaunchesToRollBack',
    abandonedLaunchesToRollBack,
    0,
    1000,
    'use 1–1000 launches (0: roll back only when Auto Scaling fails the refresh)',
  );
  if (props.refreshDeadlineSeconds !== undefined)
    checkIntegerRange(
      'AmiWatcher.refreshDeadlineSeconds',
      props.refreshDeadlineSeconds,
      600,
      1_209_600,
      'use 600 s to 14 days, or leave it unset to derive it from the group',
    );
  // A list only Terraform knows (the module's variable) is validated by the variable itself.
  (Token.isUnresolved(props.maintenanceWindows) ? [] : (props.maintenanceWindows ?? [])).forEach((w, i) => {
    checkIntegerRange(`AmiWatcher.maintenanceWindows[${i}].startHour`, w.startHour, 0, 23, 'use a UTC hour 0–23');
    checkIntegerRange(`AmiWatcher.maintenanceWindows[${i}].endHour`, w.endHour, 1, 24, 'use a UTC hour 1–24');
    if (w.endHour <= w.startHour)
      invalid(
        `AmiWatcher.maintenanceWindows[${i}]`,
        w,
        'must end after it starts',
        'set endHour > startHour (split windows that cross midnight)',
      );
    if (w.days.length === 0)
      invalid(
        `AmiWatcher.maintenanceWindows[${i}].days`,
        w.days,
        'must not be empty',
        'list weekdays such as ["Tue", "Wed"]',
      );
  });
  if (
    props.legacyAmiTopicArn !== undefined &&
    !Token.isUnresolved(props.legacyAmiTopicArn) &&
    !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(props.legacyAmiTopicArn)
  ) {
    invalid(
      'AmiWatcher.legacyAmiTopicArn',
      props.legacyAmiTopicArn,
      'must be an SNS topic ARN',
      'pass e.g. arn:aws:sns:us-east-1:177427601217:ecs-optimized-amazon-ami-update',
    );
  }
  checkName(
    'AmiWatcher.pipelineWebhookParameterName',
    props.pipelineWebhookParameterName,
    { maxLength: 2048, pattern: /^\/?[a-zA-Z0-9_.\-/]+$/, allowedChars: 'letters, digits and _ . - /' },
    'pass the NAME of an SSM SecureString parameter holding the URL (never the URL itself)',
  );
  return { schedule, minAge, abandonedLaunchesToRollBack };
}
