import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const ROOT = new URL('../../', import.meta.url);

function version(pkg) {
  try {
    return JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, ROOT), 'utf8'))
      .version;
  } catch {
    return undefined;
  }
}

/** The commit measured, and whether the working tree had changes (the build is of the working tree). */
function gitState() {
  try {
    const opts = { cwd: new URL('.', ROOT), encoding: 'utf8', timeout: 5000 };
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib'], opts).trim() !== '';
    return { commit, libDirty: dirty };
  } catch {
    return { commit: undefined, libDirty: undefined };
  }
}

/** The machine, Node and the versions of everything measured. */
export function environment() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    execArgv: process.execArgv,
    git: gitState(),
    versions: {
      'nestjs-core-lib-jobs': JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'))
        .version,
      '@nestjs/core': version('@nestjs/core'),
      '@nestjs/schedule': version('@nestjs/schedule'),
      'toad-scheduler': version('toad-scheduler'),
      croner: version('croner'),
      'node-cron': version('node-cron'),
      ioredis: version('ioredis'),
      pg: version('pg'),
      bullmq: version('bullmq'),
    },
  };
}

/** Load average and the busiest processes right now: other work on the machine shows up as noise. */
export function noiseSnapshot() {
  let top = [];
  try {
    const out = execFileSync('ps', ['-eo', 'pid,pcpu,comm', '--sort=-pcpu', '--no-headers'], {
      encoding: 'utf8',
      timeout: 2000,
    });
    top = out
      .trim()
      .split('\n')
      .slice(0, 6)
      .map((line) => {
        const [pid, pcpu, ...comm] = line.trim().split(/\s+/);
        return { pid: Number(pid), cpuPercent: Number(pcpu), command: comm.join(' ') };
      })
      .filter((p) => p.pid !== process.pid);
  } catch {
    // ps missing: the load average alone
  }
  return {
    at: new Date().toISOString(),
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    top,
  };
}
