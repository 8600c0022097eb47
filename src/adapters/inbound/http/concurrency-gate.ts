/** Thrown when the gate's waiting line is full: the caller should say "busy, retry later". */
export class GateFullError extends Error {
  readonly code = 'gate.full';
}

/**
 * Runs at most `max` tasks at once and lets at most `maxQueued` wait; beyond that it refuses
 * at once instead of queueing without bound. Alert intake runs behind one so that an alert
 * storm cannot fill the event loop and delay the acknowledgement of a person's click.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueued: number,
  ) {}

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxQueued) throw new GateFullError(`${this.running} running and ${this.waiting.length} waiting`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
