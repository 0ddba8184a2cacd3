/**
 * Seeded pseudo-random numbers: mulberry32 (32-bit state, period 2^32), good enough for a simulation and fully
 * deterministic. Every subsystem forks its own stream by label so that adding a draw in one place does not shift the
 * numbers another subsystem sees (results stay comparable between strategies run with the same seed).
 */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space sigma, clamped to [min, max]: latencies and boot times. */
  lognormal(median: number, sigma: number, min = 0, max = Number.POSITIVE_INFINITY): number {
    return Math.min(max, Math.max(min, median * Math.exp(sigma * this.normal())));
  }

  /** Independent child stream, derived from this stream's seed and a label (FNV-1a hash). */
  fork(label: string): Rng {
    let hash = 0x811c9dc5 ^ this.seed;
    for (let i = 0; i < label.length; i++) {
      hash ^= label.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return new Rng(hash >>> 0);
  }
}
