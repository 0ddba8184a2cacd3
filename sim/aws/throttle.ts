/**
 * The token bucket AWS documents for API throttling ("Request throttling for the Amazon EC2 API",
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html; the ECS API page describes the same
 * algorithm): the capacity is the burst, the refill rate the sustained rate, refill tokens are usable as they arrive,
 * and a request with no token left fails (ThrottlingException / RequestLimitExceeded / Throttling). Which bucket a
 * request draws from: sim/aws/api-buckets.ts.
 */
import type { BucketSpec } from '../timings';

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
