import { nextCronTick, nextOnGrid as gridPointAfter } from './fire-times.js';
import type { JobHandle } from './job-handle.js';

/** A once job's claim lasts this long: replicas booting within it run the job once. */
const ONCE_CLAIM_MS = 10 * 60_000;
const MIN_CLAIM_MS = 60_000;

/** First point of the fixed-rate grid (`anchor + k × frequency`) strictly after `t`. @internal */
export function nextOnGrid(h: JobHandle, t: number): number {
  return gridPointAfter(h.anchor, (h.trigger as { frequencyMs: number }).frequencyMs, t);
}

/** A cron job's first tick strictly after `t`, in the job's time zone. @internal */
export function nextCron(h: JobHandle, t: number): number {
  return nextCronTick(h.cronTime!, t);
}

/**
 * The tick after tick `due` of a job on a fixed grid (cron, fixed-rate), fired at `now`; Infinity
 * for other jobs. It is set before this one runs, so a late or slow run never pushes it. A tick
 * late by less than the misfire threshold keeps its successors (they catch up); past it the
 * missed ticks are coalesced into this run and the grid realigns. @internal
 */
export function tickAfter(h: JobHandle, due: number, now: number): number {
  const { trigger, policy } = h;
  const misfire = now - due > policy.misfireThresholdMs;
  if (trigger.kind === 'cron') return nextCron(h, misfire ? now : due);
  if (trigger.kind !== 'interval' || policy.mode !== 'fixed-rate') return Infinity;
  if (misfire || due < h.anchor) return nextOnGrid(h, misfire ? now : due);
  return due + trigger.frequencyMs;
}

/** Where a resumed job goes back on its schedule. @internal */
export function resumeAt(h: JobHandle, now: number): number {
  const { trigger } = h;
  if (trigger.kind === 'once') return Math.max(h.nextDue, now);
  if (trigger.kind === 'cron') return nextCron(h, now);
  return h.policy.mode === 'fixed-delay' ? now + trigger.frequencyMs : nextOnGrid(h, now);
}

/** Ticks `now - due` ms late and coalesced into one run (interval jobs). @internal */
export function missedTicks(h: JobHandle, due: number, now: number): number {
  return h.trigger.kind === 'interval' ? Math.floor((now - due) / h.trigger.frequencyMs) : 0;
}

/** How long a tick claim is kept: until every replica, skewed or late, is past it. @internal */
export function claimKeepMs(h: JobHandle): number {
  if (h.trigger.kind === 'once') return h.trigger.initialDelayMs + ONCE_CLAIM_MS;
  return Math.max(MIN_CLAIM_MS, h.trigger.kind === 'interval' ? 2 * h.trigger.frequencyMs : 0);
}

/** A once job's anchor is forgotten after this long (a later deploy runs it again). @internal */
export function anchorTtlMs(h: JobHandle): number | undefined {
  return h.trigger.kind === 'once' ? h.trigger.initialDelayMs + ONCE_CLAIM_MS : undefined;
}
