import { randomUUID } from 'node:crypto';
import type { RunError, RunRecord, RunStart } from '../interfaces/job-store.interface.js';
import { STORE_LIMITS } from './store.constants.js';
import { ABANDONED } from './store.messages.js';

/** A run id unique across replicas and restarts. */
export const newRunId = (): string => randomUUID();

/** `history()`'s `limit` as a count (undefined: all kept). */
export function limitOf(query: { limit?: number } | undefined): number | undefined {
  const limit = query?.limit;
  return limit === undefined || limit === Infinity
    ? undefined
    : Math.max(0, Math.floor(limit) || 0);
}

/** An error as a store keeps it: its message and the first lines of its stack, both cut short. */
export function toRunError(error: unknown): RunError {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  return clampError({ message, ...(stack ? { stack } : {}) });
}

/** A start with whole-ms times (PostgreSQL keeps bigints, Redis's Lua 14 digits). */
export function cleanStart(start: RunStart): RunStart {
  const { name, runId, due, reason, startedAt, replica, leaseUntil } = start;
  return {
    name,
    runId,
    due: ms(due),
    reason,
    startedAt: ms(startedAt),
    replica,
    leaseUntil: ms(leaseUntil),
  };
}

/** A record with whole-ms times and its error cut to `STORE_LIMITS`. */
export function cleanRecord(record: RunRecord): RunRecord {
  const { name, runId, due, reason, startedAt, endedAt, status, attempts, error, replica } = record;
  return {
    name,
    runId,
    due: ms(due),
    reason,
    startedAt: ms(startedAt),
    endedAt: ms(endedAt),
    status,
    attempts,
    error: error ? clampError(error) : null,
    replica,
  };
}

/** The record of a run whose replica died: closed at `now`, when a reaper noticed. */
export function abandonedRecord(open: RunStart, now: number): RunRecord {
  const { name, runId, due, reason, startedAt, replica, leaseUntil } = open;
  const error = { message: ABANDONED(replica, leaseUntil) };
  return {
    name,
    runId,
    due,
    reason,
    startedAt,
    endedAt: ms(now),
    status: 'abandoned',
    attempts: 0,
    error,
    replica,
  };
}

function clampError(error: RunError): RunError {
  const message = cut(String(error.message), STORE_LIMITS.messageChars);
  if (typeof error.stack !== 'string') return { message };
  const lines = error.stack.split('\n').slice(0, STORE_LIMITS.stackLines).join('\n');
  return { message, stack: cut(lines, STORE_LIMITS.stackChars) };
}

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

const ms = (time: number): number => Math.round(time);
