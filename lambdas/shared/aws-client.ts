/**
 * The only thing the Lambdas need from an AWS SDK v3 client: `send(command)`. Unit tests (aws-sdk-client-mock) and
 * the rollout simulator (`sim/`) pass objects that dispatch on the command class name and `command.input`.
 *
 * Note: the SDK's generated paginators (`paginateListTasks` …) check `client instanceof ECSClient` and throw for any
 * other object, so every list call in this code base uses a manual `nextToken` loop through `send` instead.
 */
export interface SendClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- stands for every SDK client's generic send
  send(command: any): Promise<any>;
}
