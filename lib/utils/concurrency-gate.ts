/**
 * Lets at most `limit` tasks run at once; the others wait their turn, in order. The queue is an
 * array read from a moving head (compacted now and then), so a wait costs O(1) however long the
 * queue: pg-pool's own queue shifts an array, and its waits time out.
 */
export class ConcurrencyGate {
  private running = 0;
  private waiting: Array<(() => void) | undefined> = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Hands the slot to the next task in line, or frees it. */
  private release(): void {
    if (this.head === this.waiting.length) {
      this.running--;
      return;
    }
    const next = this.waiting[this.head]!;
    this.waiting[this.head++] = undefined;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
