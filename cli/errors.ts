/** Errors the CLI reports as one plain line (no stack trace) with a documented exit code. */
import { errorMessage, errorName } from '../lambdas/shared/aws-errors';
import { EXIT, ExitCode } from './exit-codes';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** AWS error names that mean "your credentials are missing, expired or wrong". */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'TokenRefreshRequired',
]);

/** Maps anything thrown to the message and exit code the user sees. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const name = errorName(error);
  if (CREDENTIAL_ERRORS.has(name)) {
    return new CliError(
      `AWS credentials are missing or invalid (${name}: ` +
        `${errorMessage(error)}). Set AWS_PROFILE or AWS_ACCESS_KEY_ID/` +
        'AWS_SECRET_ACCESS_KEY (or run `aws sso login`), and --region or AWS_REGION.',
      EXIT.NO_CREDENTIALS,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return new CliError(`AWS denied the request (${name}): ${errorMessage(error)}`, EXIT.ERROR);
  }
  return new CliError(`${name}: ${errorMessage(error)}`, EXIT.ERROR);
}
