import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AwsContext } from './aws-context';
import { NodejsFunction } from './function';
import { checkSetting, SETTING_RULES } from './setting-rules';

/** Props of {@link Notifications}. */
export interface NotificationsProps {
  /** Name prefix of the topic (the cluster name). */
  readonly namePrefix: string;
  readonly awsContext: AwsContext;
  /**
   * Publish to this existing topic instead of creating one.
   * @default a new topic, encrypted
   */
  readonly existingTopicArn?: string;
  /**
   * KMS key for the created topic.
   * @default 'alias/aws/sns' (the AWS managed key)
   */
  readonly topicKmsKeyId?: string;
  /**
   * Name of an SSM SecureString parameter holding a Slack-style incoming webhook URL. The URL is read at run time: it
   * is never in an environment variable, in Terraform state or in a log line.
   * @default no webhook
   */
  readonly webhookParameterName?: string;
  /**
   * Customer managed KMS key of the webhook parameter; the functions get kms:Decrypt on it through SSM only.
   * @default none (the parameter uses aws/ssm, which every principal of the account may use through SSM)
   */
  readonly webhookParameterKmsKeyArn?: string;
}

/**
 * Where every function of the product reports: an SNS topic (created and encrypted, or an existing one) and an
 * optional webhook. Functions get the environment and permissions through {@link grantTo}.
 */
export class Notifications extends Construct {
  readonly topicArn: string;
  private readonly props: NotificationsProps;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.props = props;
    checkSetting(
      SETTING_RULES.webhook_parameter_name,
      'Notifications.webhookParameterName',
      props.webhookParameterName,
    );
    checkSetting(SETTING_RULES.notification_topic_arn, 'Notifications.existingTopicArn', props.existingTopicArn);
    this.topicArn =
      props.existingTopicArn ??
      new SnsTopic(this, 'topic', {
        name: `${props.namePrefix}-ecs-ami-rollout`,
        displayName: 'ecs-ami-rollout',
        kmsMasterKeyId: props.topicKmsKeyId ?? 'alias/aws/sns',
      }).arn;
  }

  /** Environment the shared notifier reads (lambdas/shared/notifier.ts). */
  get environment(): Record<string, string> {
    return {
      NOTIFY_TOPIC_ARN: this.topicArn,
      ...(this.props.webhookParameterName ? { NOTIFY_WEBHOOK_PARAMETER: this.props.webhookParameterName } : {}),
    };
  }

  /** Lets `fn` publish to the topic and read the webhook parameter. */
  grantTo(fn: NodejsFunction): void {
    fn.addToRolePolicy({
      sid: 'PublishNotifications',
      effect: 'Allow',
      actions: ['sns:Publish'],
      resources: [this.topicArn],
    });
    if (!this.props.webhookParameterName) return;
    fn.addToRolePolicy({
      sid: 'ReadWebhookUrl',
      effect: 'Allow',
      actions: ['ssm:GetParameter'],
      resources: [this.props.awsContext.ssmParameterArn(this.props.webhookParameterName)],
    });
    if (this.props.webhookParameterKmsKeyArn) {
      fn.addToRolePolicy({
        sid: 'DecryptWebhookUrl',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [this.props.webhookParameterKmsKeyArn],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: [`ssm.${this.props.awsContext.region}.amazonaws.com`],
          },
        ],
      });
    }
  }
}
