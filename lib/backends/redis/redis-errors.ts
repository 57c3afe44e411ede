import type { BackendFault } from '../backend-fault.js';

/**
 * The configuration problem behind a Redis error reply: `reason` is `auth` (NOAUTH, WRONGPASS,
 * "invalid password"), `scripts` (NOPERM on EVAL or EVALSHA), `commands` (another NOPERM, or an
 * unknown command: renamed away) or `wrong-type` (WRONGTYPE: keys of another program under our
 * prefix). Undefined for anything else (refused or lost connection, LOADING, READONLY during a
 * failover, timeouts): an outage.
 */
export function redisFaultOf(error: unknown): BackendFault | undefined {
  const reason = reasonOf(error instanceof Error ? error.message : '');
  return reason === undefined ? undefined : { kind: 'config', reason };
}

function reasonOf(message: string): string | undefined {
  if (/\b(NOAUTH|WRONGPASS)\b|\binvalid password\b/.test(message)) return 'auth';
  // ioredis runs a script with EVALSHA, or EVAL when the server lacks it: one problem, one line.
  if (/\bNOPERM\b.*'eval(sha)?'/i.test(message)) return 'scripts';
  if (/\bNOPERM\b|\bunknown command\b/.test(message)) return 'commands';
  if (/\bWRONGTYPE\b/.test(message)) return 'wrong-type';
  return undefined;
}
