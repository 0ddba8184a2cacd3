/**
 * Token bucket per API action, as AWS documents for ECS ("Request throttling for the Amazon ECS API",
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html): the bucket capacity is the
 * burst, the refill rate the sustained rate; a request with no token left fails with ThrottlingException.
 */
import { BucketSpec } from '../timings';

export class TokenBucket {
  private tokens: number;
  private updatedAt = 0;

  constructor(private readonly spec: BucketSpec) {
    this.tokens = spec.capacity;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.spec.capacity, this.tokens + elapsed * this.spec.refillPerSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Fault injection: empty the bucket (a throttling burst caused by another workload in the account). */
  drain(now: number): void {
    this.take(now);
    this.tokens = 0;
  }
}
