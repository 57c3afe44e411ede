/**
 * What a contender costs Redis over a window: `INFO commandstats stats cpu` before and after.
 * commandstats counts every command, including those a Lua script calls (redis.call), so the
 * total is "commands Redis executed"; the script invocations (EVALSHA, EVAL, FCALL) are also
 * given alone ("round trips that ran a script"). The counters are server-wide, so the bench runs
 * its contenders in a Redis DB of their own and, after the window, counts the clients of OTHER
 * DBs that were active in it (CLIENT LIST idle) and the connections opened during it: any of
 * these means the numbers include someone else's commands, and the table says so.
 */

const SCRIPT_COMMANDS = new Set(['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro']);

/** `INFO commandstats stats cpu` of `client`: calls per command, connections, server CPU. */
export async function redisSnapshot(client) {
  const text = await client.info('commandstats', 'stats', 'cpu');
  const calls = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    calls,
    connections: field('total_connections_received'),
    cpuMs: (field('used_cpu_user') + field('used_cpu_sys')) * 1000,
  };
}

/**
 * The window's cost: `after − before`, less `own` (the commands the bench itself sent between
 * the two snapshots: the first snapshot's INFO is counted in the second).
 */
export function redisDelta(before, after, own = { info: 1 }) {
  const byCommand = {};
  for (const [name, n] of Object.entries(after.calls)) {
    const d = n - (before.calls[name] ?? 0) - (own[name] ?? 0);
    if (d) byCommand[name] = d;
  }
  const values = Object.entries(byCommand);
  return {
    commands: values.reduce((sum, [, n]) => sum + n, 0),
    scriptCalls: values.reduce((sum, [k, n]) => sum + (SCRIPT_COMMANDS.has(k) ? n : 0), 0),
    byCommand,
    newConnections: after.connections - before.connections,
    serverCpuMs: after.cpuMs - before.cpuMs,
  };
}

/** Clients of other DBs than `db` that sent a command in the last `windowMs` (CLIENT LIST). */
export async function otherActiveClients(client, db, windowMs) {
  const list = await client.client('LIST');
  return String(list)
    .split('\n')
    .filter(Boolean)
    .map((line) => Object.fromEntries(line.split(' ').map((kv) => kv.split('='))))
    .filter((c) => Number(c.db) !== db && Number(c.idle) * 1000 < windowMs)
    .map((c) => `${c.addr} db ${c.db} ${c.name ? `${c.name} ` : ''}last ${c.cmd}`);
}
