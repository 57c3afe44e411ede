import { checkHandler, checkSpec, type Report } from '../config/jobs-config.fields.js';
import { isMapping, lastSegment } from '../config/jobs-config.names.js';
import { EXPECTED_ENTRY, fieldProblem } from '../config/config.messages.js';
import type { PreparedJob } from '../engine/prepared-job.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { DiscoveredJob } from '../interfaces/discovered-job.interface.js';
import type { JobDefinition } from '../interfaces/job-control.interface.js';
import { clusterProblems } from '../plan/job-plan.js';
import { NAME_MISMATCH, NOT_PLAIN_DATA } from './control.messages.js';

/** A definition checked against this replica's jobs: its class and its resolved schedule. */
export interface CheckedDefinition {
  className: string;
  prepared: PreparedJob;
}

/**
 * Checks a definition by the YAML rules, with the YAML validator's own functions (`checkHandler`,
 * `checkSpec`), so the problems read as YAML's do, one line each, `where` first. `jobs`: this
 * replica's registered jobs, which `handler.class` must name.
 */
export function checkDefinition(
  name: string,
  definition: unknown,
  jobs: ReadonlyMap<string, DiscoveredJob>,
  cluster: ClusterOptions | undefined,
  where: string,
): CheckedDefinition | string[] {
  const problems: string[] = [];
  const report: Report = (field, value, expected) =>
    problems.push(fieldProblem(where, field, value, expected));
  if (!isMapping(definition)) {
    report('definition', definition, EXPECTED_ENTRY);
    return problems;
  }
  if (Object.hasOwn(definition, 'name') && definition.name !== name) {
    report('name', definition.name, NAME_MISMATCH(name));
  }
  const handler = definition.handler;
  if (isMapping(handler) && !isPlainData(handler.params ?? null)) {
    report('handler.params', handler.params, NOT_PLAIN_DATA);
  }
  const className = checkHandler(definition, [...jobs.keys()], report);
  const { params, trigger, policy } = checkSpec(definition, report, new Set());
  if (problems.length || !className || !trigger || !policy) return problems;
  clusterProblems([{ name, policy }], cluster).forEach((p) => problems.push(`${where}: ${p}`));
  if (problems.length) return problems;
  const found = jobs.get(className) ?? jobs.get(lastSegment(className))!;
  return { className, prepared: { job: found.job, params, trigger, policy } };
}

/** The definition as stored: a JSON copy, so every replica runs what was checked here. */
export function storedCopy(definition: JobDefinition): JobDefinition {
  return JSON.parse(JSON.stringify(definition)) as JobDefinition;
}

/** Whether JSON keeps the value as it is (no functions, cycles, class instances, BigInt). */
function isPlainData(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || seen.has(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  seen.add(value);
  const ok = Object.values(value).every((v) => v === undefined || isPlainData(v, seen));
  seen.delete(value);
  return ok;
}
