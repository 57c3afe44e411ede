import type { SchedulerRegistry } from '@nestjs/schedule';
// Node's own timers, even where a test fakes the global ones: the anchor is never a fake.
import { clearInterval as nodeClearInterval, setInterval as nodeSetInterval } from 'node:timers';
import { MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';
import { JobSchedulerError } from '../errors/job-scheduler.error.js';
import { DUPLICATE_JOB_NAME } from '../errors/job-scheduler.messages.js';
import { noop } from '../utils/noop.js';
import { JobHandle } from './job-handle.js';
import type { JobTrigger } from './job-spec.js';
import { RegisteredCronJob, type JobControl } from './registered-cron-job.js';

/** Our job, on the Node timer that stands for it in the registry. */
const HANDLE = Symbol('core-lib-jobs:handle');

type Kind = 'cron' | 'interval' | 'timeout';
const KINDS: readonly Kind[] = ['interval', 'timeout', 'cron'];

/**
 * Keeps `SchedulerRegistry` in step with the engine, with entries that behave like the ones
 * @nestjs/schedule makes. A cron job is a `RegisteredCronJob` (a real `CronJob` whose methods act
 * on the job). An interval or once job is a real Node `Timeout`, made with `setInterval` /
 * `setTimeout` and cleared at once: the engine's one timer drives every job, so this one never
 * fires. Deleting an entry through the registry stops the job: the engine checks, through the
 * registry's public API, that the entry is still there before each run. The registry is also the
 * index of our jobs by name, so a job costs one map entry, not two.
 * @internal
 */
export class JobRegistration {
  /**
   * A real Node timer on the entries' duration, unref'd, kept until close(). Node keeps one timer
   * list per duration and deletes it when its last timer is cleared: without this one, every
   * entry would create and delete a list (1.9 µs a job instead of 0.6 µs; 100,000 jobs).
   */
  private readonly anchor = nodeSetInterval(noop, MAX_TIMER_DELAY_MS).unref();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly control: JobControl,
  ) {}

  /** Registers the job; a name the registry holds for that kind throws `JobSchedulerError`. */
  add(h: JobHandle): void {
    const kind = kindOf(h.trigger.kind);
    const entry = this.entryFor(h, kind);
    try {
      if (kind === 'cron') this.registry.addCronJob(h.name, entry as RegisteredCronJob);
      else if (kind === 'interval') this.registry.addInterval(h.name, entry);
      else this.registry.addTimeout(h.name, entry);
    } catch (error) {
      const taken = this.registry.doesExist(kind, h.name);
      throw taken ? new JobSchedulerError(DUPLICATE_JOB_NAME(h.name)) : error;
    }
    h.registryEntry = entry;
  }

  /**
   * A timer of the timers in use (Node's, or a fake clock's), cleared at once so it neither fires
   * nor counts as pending. It costs about 160 bytes a job (bench scale, 100,000 jobs): the price of
   * an entry that is what the registry says it is.
   */
  private entryFor(h: JobHandle, kind: Kind): object {
    if (kind === 'cron') return new RegisteredCronJob(h, this.control);
    const set = kind === 'interval' ? setInterval : setTimeout;
    const timer = set(noop, MAX_TIMER_DELAY_MS);
    clearTimeout(timer);
    (timer as unknown as Record<symbol, JobHandle>)[HANDLE] = h;
    return timer;
  }

  /**
   * Whether the registry still holds this job's own entry under its name (a user may delete it,
   * or put something else there). Checked before every run: one map lookup, as the registry's
   * getters throw for a missing name (doesExist() first would be a second lookup: +40 ns a run).
   */
  has(h: JobHandle): boolean {
    try {
      return this.get(kindOf(h.trigger.kind), h.name) === h.registryEntry;
    } catch {
      return false;
    }
  }

  delete(h: JobHandle): void {
    if (!this.has(h)) return;
    const kind = kindOf(h.trigger.kind);
    if (kind === 'cron') this.registry.deleteCronJob(h.name);
    else if (kind === 'interval') this.registry.deleteInterval(h.name);
    else this.registry.deleteTimeout(h.name);
  }

  /** Clears the anchor timer (the engine's shutdown); entries made after this still work. */
  close(): void {
    nodeClearInterval(this.anchor);
  }

  /** Our job registered under `name`, if any (the registry may hold the app's own timers too). */
  lookup(name: string): JobHandle | undefined {
    for (const kind of KINDS) {
      const h = this.registry.doesExist(kind, name) ? handleOf(this.get(kind, name)) : undefined;
      if (h) return h;
    }
    return undefined;
  }

  /** Every job of ours, in the order: interval, once, cron. */
  all(): JobHandle[] {
    const registry = this.registry;
    const found = [
      ...registry.getIntervals().map((name) => handleOf(registry.getInterval(name))),
      ...registry.getTimeouts().map((name) => handleOf(registry.getTimeout(name))),
      ...[...registry.getCronJobs().values()].map(handleOf),
    ];
    return found.filter((h): h is JobHandle => h !== undefined);
  }

  /** Whether any kind of scheduler (ours or the app's own) already uses `name`. */
  taken(name: string): boolean {
    return KINDS.some((kind) => this.registry.doesExist(kind, name));
  }

  /** Whether `name` is used by a kind other than the one a job of `kind` registers as. */
  takenByOtherKind(name: string, kind: JobTrigger['kind']): boolean {
    const own = kindOf(kind);
    return KINDS.some((other) => other !== own && this.registry.doesExist(other, name));
  }

  private get(kind: Kind, name: string): unknown {
    if (kind === 'interval') return this.registry.getInterval(name);
    if (kind === 'timeout') return this.registry.getTimeout(name);
    return this.registry.getCronJob(name);
  }
}

function handleOf(entry: unknown): JobHandle | undefined {
  if (entry instanceof RegisteredCronJob) return entry.handle;
  const h = entry == null ? undefined : (entry as Record<symbol, unknown>)[HANDLE];
  return h instanceof JobHandle && h.registryEntry === entry ? h : undefined;
}

function kindOf(kind: JobTrigger['kind']): Kind {
  return kind === 'cron' ? 'cron' : kind === 'interval' ? 'interval' : 'timeout';
}
