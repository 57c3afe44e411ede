import type { RunInfo, RunWrapper } from '../interfaces/run-wrapper.interface.js';

/**
 * The wrappers of `JobScheduler.wrapRuns()`, composed once when one is added or removed, so an
 * attempt pays one call per wrapper and nothing when there is none. The first added is outermost.
 * @internal
 */
export class RunWrappers {
  private readonly list: RunWrapper[] = [];
  /** Every wrapper around `call`; undefined when there is none. */
  composed: RunWrapper | undefined;

  add(wrapper: RunWrapper): () => void {
    this.list.push(wrapper);
    this.compose();
    return () => {
      const at = this.list.indexOf(wrapper);
      if (at < 0) return;
      this.list.splice(at, 1);
      this.compose();
    };
  }

  private compose(): void {
    this.composed = this.list.reduceRight<RunWrapper | undefined>(
      (inner, outer) =>
        inner === undefined
          ? outer
          : <T>(run: RunInfo, call: () => T): T => outer(run, () => inner(run, call)),
      undefined,
    );
  }
}
