import { Construct } from 'constructs';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Token } from 'cdktf';
import { Architecture, AmiVariant, OsFamily, ecsOptimizedAmi } from './ecs-optimized-parameters';
import { invalid } from '../validation';

/** What a node group's launch template needs to know about its AMI. */
export interface AmiBinding {
  /** The launch template's `image_id`: a concrete AMI id (possibly a plan-time token) or `resolve:ssm:<parameter>`. */
  readonly imageId: string;
  /**
   * Whether instance refresh `auto_rollback` may be used. AWS refuses auto rollback when the launch template resolves
   * its AMI from an SSM parameter at launch time.
   */
  readonly supportsAutoRollback: boolean;
  /** The smallest root volume the AMI boots with (its root snapshot size). */
  readonly minimumRootVolumeGiB: number;
  /** Root device of the AMI's block device mapping (the launch template overrides it to gp3 + encrypted). */
  readonly rootDeviceName: string;
  /** The public or custom SSM parameter the AMI comes from, when there is one (the AMI watcher follows it). */
  readonly sourceParameterName?: string;
  /** The OS family, which decides how user data is written. */
  readonly osFamily: OsFamily;
}

/** Context a node group gives its AMI source. */
export interface AmiBindContext {
  readonly architecture: Architecture;
}

/** Options shared by AMI sources that do not come from the ECS-optimized table. */
export interface CustomAmiOptions {
  /**
   * The AMI's root snapshot size: `rootVolumeSizeGiB` may not be below it.
   * @default 30
   */
  readonly minimumRootVolumeGiB?: number;
  /**
   * OS family of the AMI (user data is written for it). Only ECS-optimized Amazon Linux images are supported.
   * @default 'al2023'
   */
  readonly osFamily?: OsFamily;
  /**
   * Root device name of the AMI.
   * @default '/dev/xvda'
   */
  readonly rootDeviceName?: string;
}

/** Options for {@link AmiSource.ecsOptimized}. */
export interface EcsOptimizedAmiOptions {
  /**
   * Amazon Linux generation.
   * @default 'al2023'
   */
  readonly osFamily?: OsFamily;
  /**
   * Image variant: standard, NVIDIA GPU, or AWS Neuron (Inferentia/Trainium).
   * @default 'standard'
   */
  readonly variant?: AmiVariant;
}

/**
 * Where a node group's AMI comes from — the seam through which AMI ownership (autonomous watcher vs GitOps) plugs in.
 *
 * Terraform note: a parameter-based source is read by a `data "aws_ssm_parameter"` at plan time, so a new AMI release
 * shows up in `terraform plan` as a launch template change (and Terraform starts the instance refresh on apply).
 * CloudFormation's `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` resolves at deploy time instead.
 */
export abstract class AmiSource {
  /** The recommended ECS-optimized Amazon Linux AMI for the node group's architecture (a public SSM parameter). */
  static ecsOptimized(options: EcsOptimizedAmiOptions = {}): AmiSource {
    return new EcsOptimizedAmiSource(options.osFamily ?? 'al2023', options.variant ?? 'standard');
  }

  /** The AMI id held by any SSM parameter (public or your own, e.g. a golden-AMI pipeline's output). */
  static ssmParameter(parameterName: string, options: CustomAmiOptions = {}): AmiSource {
    if (!Token.isUnresolved(parameterName) && !/^\/?[a-zA-Z0-9_.\-/]{1,2048}$/.test(parameterName)) {
      invalid(
        'AmiSource.ssmParameter(parameterName)',
        parameterName,
        'must be an SSM parameter name',
        'pass a name such as /my/golden-ami/id',
      );
    }
    return new ParameterAmiSource(parameterName, options);
  }

  /** A fixed AMI id. Every change is a reviewed code change. */
  static pinned(amiId: string, options: CustomAmiOptions = {}): AmiSource {
    if (!Token.isUnresolved(amiId) && !/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(amiId)) {
      invalid(
        'AmiSource.pinned(amiId)',
        amiId,
        'must be an AMI id (ami- and 8 or 17 hex digits)',
        'pass an id such as ami-0123456789abcdef0',
      );
    }
    return new PinnedAmiSource(amiId, options);
  }

  /** A human-readable description, used in docs, tags and errors. */
  abstract readonly description: string;

  /** Creates whatever the source needs in `scope` and returns what the launch template uses. */
  abstract bind(scope: Construct, context: AmiBindContext): AmiBinding;
}

function readParameter(scope: Construct, parameterName: string): string {
  // insecure_value: public AMI parameters are plain Strings; `value` is always marked sensitive and would hide the
  // AMI id from `terraform plan`, the one line reviewers must see.
  return new DataAwsSsmParameter(scope, 'ami-parameter', { name: parameterName }).insecureValue;
}

class EcsOptimizedAmiSource extends AmiSource {
  readonly description: string;

  constructor(
    private readonly osFamily: OsFamily,
    private readonly variant: AmiVariant,
  ) {
    super();
    this.description = `ECS-optimized ${osFamily} (${variant})`;
  }

  bind(scope: Construct, context: AmiBindContext): AmiBinding {
    const spec = ecsOptimizedAmi(this.osFamily, this.variant, context.architecture);
    if (typeof spec === 'string') {
      invalid(
        'AmiSource.ecsOptimized({ variant })',
        `${this.variant} on ${context.architecture}`,
        spec,
        'choose the architecture the variant exists for',
      );
    }
    return {
      imageId: readParameter(scope, spec.parameterName),
      supportsAutoRollback: true,
      minimumRootVolumeGiB: spec.minimumRootVolumeGiB,
      rootDeviceName: spec.rootDeviceName,
      sourceParameterName: spec.parameterName,
      osFamily: this.osFamily,
    };
  }
}

class ParameterAmiSource extends AmiSource {
  readonly description: string;

  constructor(
    private readonly parameterName: string,
    private readonly options: CustomAmiOptions,
  ) {
    super();
    this.description = `SSM parameter ${parameterName}`;
  }

  bind(scope: Construct): AmiBinding {
    return {
      imageId: readParameter(scope, this.parameterName),
      supportsAutoRollback: true,
      sourceParameterName: this.parameterName,
      ...customDefaults(this.options),
    };
  }
}

class PinnedAmiSource extends AmiSource {
  readonly description: string;

  constructor(
    private readonly amiId: string,
    private readonly options: CustomAmiOptions,
  ) {
    super();
    this.description = `pinned ${amiId}`;
  }

  bind(): AmiBinding {
    return { imageId: this.amiId, supportsAutoRollback: true, ...customDefaults(this.options) };
  }
}

function customDefaults(options: CustomAmiOptions) {
  return {
    minimumRootVolumeGiB: options.minimumRootVolumeGiB ?? 30,
    rootDeviceName: options.rootDeviceName ?? '/dev/xvda',
    osFamily: options.osFamily ?? ('al2023' as OsFamily),
  };
}
