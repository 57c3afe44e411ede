/** Log lines of the store's wiring: recorder, reaper, cached view. */
import { describeThrown } from '../../utils/thrown-value.js';
import type { SkipReason } from '../../interfaces/job-event.interface.js';

export const STORE_DOWN = (store: string, error: unknown): string =>
  `Job store ${store}: a write failed (${describeThrown(error)}); runs go on, and their ` +
  'records are lost until it works again (logged once)';

export const STORE_BACK = (store: string, downMs: number): string =>
  `Job store ${store} works again after ${Math.round(downMs / 1000)}s`;

export const RUN_ABANDONED = (name: string, replica: string, startedAt: number): string =>
  `Job '${name}': the run started at ${new Date(startedAt).toISOString()} on ${replica} is ` +
  'recorded as abandoned (its replica stopped extending its lease)';

export const RUN_CLOSED_ELSEWHERE = (name: string, runId: string): string =>
  `Job '${name}': run ${runId} was recorded as abandoned by another replica while it ran ` +
  '(its lease was not extended in time); its end is not recorded again';

export const SKIPPED = (reason: SkipReason): string => `skipped: ${reason}`;
