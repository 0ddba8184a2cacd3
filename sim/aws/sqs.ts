/**
 * Simulated SQS standard queue and the Lambda event source mapping that reads it (the gates' event buffer,
 * lib/gates/gate-event-buffer.ts). What AWS documents and the model follows:
 * - "Configuring scaling behavior for SQS event source mappings" (services-sqs-scaling.html): pollers take batches
 *   while messages are available; with MaximumConcurrency set, at most that many batches are in flight.
 * - "Lambda parameters for Amazon SQS event source mappings" (services-sqs-parameters.html): BatchSize up to 10,000;
 *   MaximumBatchingWindowInSeconds: "the maximum amount of time to gather records before invoking the function" —
 *   a batch goes when it is full or the window has passed since the first record waited.
 * - "Handling errors for an SQS event source in Lambda" (services-sqs-errorhandling.html): a successful invocation
 *   deletes the batch except the messages named in `batchItemFailures` (ReportBatchItemFailures); a failed
 *   invocation deletes nothing; either way the remaining messages reappear when their visibility timeout ends. A
 *   throttled invocation is retried "until the message's timestamp exceeds your queue's visibility timeout".
 * - "Amazon SQS dead-letter queues": after maxReceiveCount receives, a message moves to the dead-letter queue.
 * - Standard queues: at-least-once, best-effort order ("Amazon SQS standard queues"); duplicates are not modelled
 *   (EventBridge's are).
 */
import type { Simulation } from '../clock';
import type { Rng } from '../rng';
import type { Timings } from '../timings';
import type { InvocationOutcome } from './lambda';

export interface QueueContext {
  readonly sim: Simulation;
  readonly rng: { readonly lambda: Rng };
  readonly timings: Timings;
  readonly metrics: { sqsDeadLettered(queue: string): void };
}

interface Message {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  deleted: boolean;
}

export class SimQueue {
  readonly messages: Message[] = [];
  /** Messages moved to the dead-letter queue after maxReceiveCount receives. */
  deadLettered = 0;
  private counter = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly world: QueueContext,
    readonly name: string,
  ) {}

  /** SendMessage (an EventBridge rule target): the event JSON is the body. Always accepted. */
  send(body: string): boolean {
    this.counter++;
    const now = this.world.sim.now;
    this.messages.push({
      messageId: `${this.name}-${this.counter}`,
      body,
      sentAt: now,
      visibleAt: now,
      receiveCount: 0,
      deleted: false,
    });
    for (const listener of this.listeners) listener();
    return true;
  }

  onMessage(listener: () => void): void {
    this.listeners.push(listener);
  }

  visible(now: number): Message[] {
    this.compact();
    return this.messages.filter((m) => !m.deleted && m.visibleAt <= now);
  }

  private compact(): void {
    if (this.messages.length > 1000 && this.messages.filter((m) => m.deleted).length > this.messages.length / 2) {
      const live = this.messages.filter((m) => !m.deleted);
      this.messages.length = 0;
      this.messages.push(...live);
    }
  }
}

export interface EventSourceMappingConfig {
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** The function side of the mapping: a synchronous invoke that may be throttled (SimLambda.invokeSync). */
export interface BatchConsumer {
  readonly name: string;
  invokeSync(payload: unknown, done: (outcome: InvocationOutcome, result?: unknown) => void): boolean;
}

export class EventSourceMapping {
  private inFlight = 0;
  private pollAt: number | undefined;
  batches = 0;

  constructor(
    private readonly world: QueueContext,
    private readonly queue: SimQueue,
    private readonly fn: BatchConsumer,
    private readonly config: EventSourceMappingConfig,
  ) {
    queue.onMessage(() => this.schedulePoll(this.reaction()));
  }

  private reaction(): number {
    const r = this.world.timings.sqsPollerReaction;
    return this.world.rng.lambda.lognormal(r.median, r.sigma, r.min, r.max);
  }

  private schedulePoll(delay: number): void {
    const at = this.world.sim.now + delay;
    if (this.pollAt !== undefined && this.pollAt <= at) return;
    this.pollAt = at;
    this.world.sim.at(at, () => {
      if (this.pollAt !== at) return;
      this.pollAt = undefined;
      this.poll();
    });
  }

  private poll(): void {
    const now = this.world.sim.now;
    while (this.inFlight < this.config.maximumConcurrency) {
      const visible = this.queue.visible(now).sort((a, b) => a.visibleAt - b.visibleAt);
      if (visible.length === 0) return;
      const windowEnds = visible[0].visibleAt + this.config.maximumBatchingWindowSeconds;
      if (visible.length < this.config.batchSize && now < windowEnds) {
        this.schedulePoll(windowEnds - now);
        return;
      }
      this.receive(visible.slice(0, this.config.batchSize), now);
    }
  }

  private receive(batch: Message[], now: number): void {
    const invisibleUntil = now + this.config.visibilityTimeoutSeconds;
    const live: Message[] = [];
    for (const message of batch) {
      message.receiveCount++;
      if (message.receiveCount > this.config.maxReceiveCount) {
        message.deleted = true;
        this.queue.deadLettered++;
        this.world.metrics.sqsDeadLettered(this.queue.name);
        continue;
      }
      message.visibleAt = invisibleUntil;
      live.push(message);
    }
    if (live.length === 0) return;
    this.inFlight++;
    // Whatever happens, the messages not deleted reappear when their visibility timeout ends.
    this.world.sim.at(invisibleUntil, () => this.schedulePoll(0));
    this.invoke(live, invisibleUntil, 0);
  }

  private invoke(batch: Message[], invisibleUntil: number, throttles: number): void {
    const payload = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        body: m.body,
        eventSource: 'aws:sqs',
        attributes: { ApproximateReceiveCount: String(m.receiveCount) },
      })),
    };
    const accepted = this.fn.invokeSync(payload, (outcome, result) => this.settle(batch, outcome, result));
    if (accepted) {
      this.batches++;
      return;
    }
    const delay = this.world.timings.sqsThrottleRetryBaseSeconds * 2 ** throttles;
    if (this.world.sim.now + delay >= invisibleUntil) {
      // Given up until the messages reappear.
      this.inFlight--;
      return;
    }
    this.world.sim.after(delay, () => this.invoke(batch, invisibleUntil, throttles + 1));
  }

  private settle(batch: Message[], outcome: InvocationOutcome, result: unknown): void {
    this.inFlight--;
    if (outcome === 'ok') {
      const failures = new Set(
        ((result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)?.batchItemFailures ?? []).map(
          (failure) => failure.itemIdentifier,
        ),
      );
      for (const message of batch) if (!failures.has(message.messageId)) message.deleted = true;
    }
    this.schedulePoll(0);
  }
}
