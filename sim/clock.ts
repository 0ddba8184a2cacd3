/**
 * Discrete-event core: a virtual clock (seconds since the start of the scenario) and a priority queue of events.
 * Nothing ever sleeps in real time. Ties are broken by insertion order, so a run is deterministic for a seed.
 *
 * Async code (the production gate handlers) runs as cooperative processes: an awaited fake AWS call schedules its
 * answer as an event; when the loop resolves that promise it lets the microtask queue drain (`settle`) before it
 * moves the clock again, so the handler runs "at" the virtual time of the answer and sees the world as it is then.
 */
export const SIM_EPOCH_MS = Date.UTC(2025, 0, 6, 9, 0, 0);

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class Simulation {
  now = 0;
  private heap: Entry[] = [];
  private seq = 0;
  private resumed = false;
  eventsProcessed = 0;

  /** Virtual wall clock, as the handlers' `now()` must return it. */
  date(at = this.now): Date {
    return new Date(SIM_EPOCH_MS + Math.round(at * 1000));
  }

  at(time: number, fn: () => void): void {
    const entry = { at: Math.max(time, this.now), seq: this.seq++, fn };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  after(delaySeconds: number, fn: () => void): void {
    this.at(this.now + Math.max(0, delaySeconds), fn);
  }

  /** Repeats `fn` every `periodSeconds`, first at `firstAt`, until it returns false. */
  every(periodSeconds: number, firstAt: number, fn: () => boolean | void): void {
    const tick = (): void => {
      if (fn() === false) return;
      this.after(periodSeconds, tick);
    };
    this.at(firstAt, tick);
  }

  /** A promise resolved at now + delay by the event loop (for processes). */
  sleep(delaySeconds: number): Promise<void> {
    return new Promise((resolve) => this.after(delaySeconds, () => this.resume(resolve)));
  }

  /** Resolves a process' promise from inside an event; the loop settles microtasks before the next event. */
  resume<T>(resolve: (value: T) => void, value?: T): void {
    this.resumed = true;
    resolve(value as T);
  }

  /** Starts an async process at the current time. */
  spawn(body: () => Promise<void>): void {
    this.resumed = true;
    void body();
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  /** Runs events until `until` (virtual seconds) or until `done()` holds or the queue is empty. */
  async run(until: number, done: () => boolean = () => false): Promise<void> {
    for (;;) {
      if (this.resumed) {
        this.resumed = false;
        await settle();
        continue;
      }
      if (done()) return;
      const next = this.heap[0];
      if (next === undefined || next.at > until) return;
      this.pop();
      this.now = next.at;
      this.eventsProcessed++;
      next.fn();
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** setImmediate runs after every queued promise job: the resumed process has reached its next await. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
