import { ClusterConfigError } from '../../errors/cluster-config.error.js';
import { PROBLEM } from '../cluster.messages.js';

/**
 * The configuration problem behind a Redis error, found by its reply's code, or undefined for
 * an outage (refused or lost connection, LOADING, READONLY during a failover, timeouts...).
 * @internal
 */
export function redisConfigError(error: unknown, prefix: string): ClusterConfigError | undefined {
  if (error instanceof ClusterConfigError) return error;
  const message = error instanceof Error ? error.message : '';
  const problem = problemOf(message, prefix);
  return problem === undefined ? undefined : new ClusterConfigError(problem, { cause: error });
}

function problemOf(message: string, prefix: string): string | undefined {
  // NOAUTH: a password is needed; WRONGPASS (Redis 6+) or "invalid password" (older): a wrong one.
  if (/\b(NOAUTH|WRONGPASS)\b|\binvalid password\b/.test(message))
    return PROBLEM.redisAuth(message);
  // ioredis runs a script with EVALSHA, or EVAL when the server lacks it: one problem, one line.
  if (/\bNOPERM\b.*'eval(sha)?'/i.test(message)) return PROBLEM.redisScripts();
  // NOPERM: the ACL user may not run a command or touch a key; "unknown command": renamed away.
  if (/\bNOPERM\b|\bunknown command\b/.test(message)) return PROBLEM.redisCommands(message);
  if (/\bWRONGTYPE\b/.test(message)) return PROBLEM.redisKeys(prefix, message);
  return undefined;
}
