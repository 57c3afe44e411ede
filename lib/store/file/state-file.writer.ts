import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `file` with `text` atomically: written to a temp file, flushed to disk (fsync), then
 * renamed over it. A kill at any point leaves either the old file or the new one, whole.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(dirname(file));
}

/** Makes the rename itself durable. Best effort: not every platform can fsync a directory. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Windows, some network file systems: the rename is atomic all the same.
  }
}

interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces writes: at most one in flight; the changes made meanwhile go out together in the
 * next one, which writes the latest state (`write` reads it when it starts).
 */
export class CoalescedWriter {
  private next: Waiters | undefined;
  /** Set while writes are going on, until none is asked for any more. */
  private pumping: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  /** Resolves once a write that started after this call is done (rejects if it failed). */
  request(): Promise<void> {
    this.next ??= waiters();
    // Started on the next microtask, so the changes of one synchronous burst share a write.
    this.pumping ??= Promise.resolve().then(() => this.pump());
    return this.next.promise;
  }

  /** Waits until nothing is left to write; never rejects. */
  async flush(): Promise<void> {
    await this.pumping;
  }

  private async pump(): Promise<void> {
    while (this.next) {
      const batch = this.next;
      this.next = undefined;
      await this.write().then(batch.resolve, batch.reject);
    }
    this.pumping = undefined;
  }
}

function waiters(): Waiters {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined); // a failed write nobody awaits is not an unhandled rejection
  return { promise, resolve, reject };
}
