/**
 * `handler` for the Lambda entry files. In Lambda (AWS_LAMBDA_FUNCTION_NAME set) the handler — and so its config — is
 * built at module load, so a bad config fails the cold start with a message naming the key. Elsewhere (tests, the
 * simulator importing the factory) building is deferred to the first call, so importing never needs the env vars.
 */
export function lazyHandler<A extends unknown[], R>(build: () => (...args: A) => R): (...args: A) => R {
  let built = process.env.AWS_LAMBDA_FUNCTION_NAME ? build() : undefined;
  return (...args) => {
    built ??= build();
    return built(...args);
  };
}
