import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { JobStoreError, StateFileLockedError } from '../job-store.error.js';
import { LOCK_TAKEOVER_WAIT_MS } from '../store.constants.js';
import { LOCK_BUSY, STATE_FILE_LOCKED_HERE, type LockOwner } from '../store.messages.js';
import { noop } from '../../utils/noop.js';

/** Lock files this process holds: a second store on the same file here is refused as well. */
const held = new Set<string>();
type Owner = LockOwner & { token: string };

/** A state file's lock, held: `release()` removes it if it is still ours. */
export interface HeldLock {
  /** The dead process whose stale lock was taken over (`null`: an unreadable lock file). */
  tookOverFrom: LockOwner | null | undefined;
  release(): Promise<void>;
}

/**
 * Takes `<file>.lock` for this process. A lock file is created whole (written aside, then
 * hard-linked into place, which fails if one exists), so its content is never half-written.
 * One whose process is gone is taken over under a second lock (`.lock.takeover`), so two
 * processes that find the same stale lock cannot both take it. Liveness is judged by pid on
 * this machine; the same pid as ours means a previous incarnation (a container's pid 1, say).
 */
export async function acquireStateLock(file: string): Promise<HeldLock> {
  const lockFile = `${file}.lock`;
  if (held.has(lockFile)) throw new JobStoreError(STATE_FILE_LOCKED_HERE(file), file);
  const mine: Owner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + LOCK_TAKEOVER_WAIT_MS;
  let tookOverFrom: LockOwner | null | undefined;
  while (!(await createWhole(lockFile, mine))) {
    // Another store of this process took it meanwhile (its lock carries our own pid).
    if (held.has(lockFile)) throw new JobStoreError(STATE_FILE_LOCKED_HERE(file), file);
    const found = await readOwner(lockFile);
    if (found === undefined) continue; // released meanwhile: try again
    if (found.owner && isAlive(found.owner.pid)) {
      throw new StateFileLockedError(file, lockFile, publicOwner(found.owner));
    }
    if (await takeOver(lockFile, found.raw, mine)) {
      tookOverFrom = found.owner && publicOwner(found.owner);
      break;
    }
    if (Date.now() > deadline) throw new JobStoreError(LOCK_BUSY(file, lockFile), file);
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
  held.add(lockFile);
  return { tookOverFrom, release: () => release(lockFile, mine.token) };
}

async function release(lockFile: string, token: string): Promise<void> {
  if (!held.delete(lockFile)) return;
  const found = await readOwner(lockFile);
  if (found?.owner?.token === token) await unlink(lockFile).catch(noop);
}

/** Creates `path` with `owner` in it, whole; false if it exists. */
async function createWhole(path: string, owner: Owner): Promise<boolean> {
  const aside = asideOf(path, owner);
  await writeFile(aside, JSON.stringify(owner));
  try {
    await link(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(aside).catch(noop);
  }
}

/** Replaces the stale lock (still `staleRaw`) with ours, under the takeover lock. */
async function takeOver(lockFile: string, staleRaw: string, mine: Owner): Promise<boolean> {
  const takeover = `${lockFile}.takeover`;
  if (!(await createWhole(takeover, mine))) {
    // Another process is taking over; its takeover lock is stale only if it died doing so.
    const other = await readOwner(takeover);
    if (other && !(other.owner && isAlive(other.owner.pid))) await unlink(takeover).catch(noop);
    return false;
  }
  try {
    // A store of this process may have just taken it: its lock looks stale to us (our pid).
    if (held.has(lockFile)) return false;
    if ((await readFile(lockFile, 'utf8').catch(() => undefined)) !== staleRaw) return false;
    const aside = asideOf(lockFile, mine);
    await writeFile(aside, JSON.stringify(mine));
    await rename(aside, lockFile);
    return true;
  } finally {
    await unlink(takeover).catch(noop);
  }
}

/** The lock file's text and owner (`null` owner: unreadable); undefined when it is gone. */
async function readOwner(path: string): Promise<{ raw: string; owner: Owner | null } | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(raw) as Owner;
    return { raw, owner: Number.isInteger(owner?.pid) && owner.pid > 0 ? owner : null };
  } catch {
    return { raw, owner: null };
  }
}

/** Whether `pid` runs here and is not us (our own pid in a lock we do not hold is a past life). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where a lock file is written before it is put in place: one name per attempt. */
const asideOf = (path: string, owner: Owner): string => `${path}.tmp-${owner.pid}.${owner.token}`;

const publicOwner = ({ pid, host, since }: Owner): LockOwner => ({ pid, host, since });
