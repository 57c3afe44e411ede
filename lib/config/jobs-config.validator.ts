import type { JobSpecInput, JobTrigger, RunPolicy } from '../engine/job-spec.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import type { LoadedConfig } from './config.loader.js';
import { checkHandler, checkSpec, type Report } from './jobs-config.fields.js';
import { assignNames, classOf, isMapping, type Naming } from './jobs-config.names.js';
import {
  at,
  entryWhere,
  EXPECTED_ENTRY,
  fieldProblem,
  notAList,
  unresolvedField,
} from './config.messages.js';

/** One validated YAML job entry, ready for the engine. */
export interface JobEntry {
  /** Position in the list. */
  index: number;
  /**
   * Unique schedule name: `name`, else the class name, else `Class[index]` when a class appears
   * several times unnamed.
   */
  name: string;
  /** `handler.class` as written. */
  className: string;
  /** camelCase fields copied as found, with `params` = `handler.params`. */
  spec: JobSpecInput;
  /** `handler.params`, passed to every run. */
  params: unknown;
  /** The schedule, resolved here once: what the plan schedules. */
  trigger: JobTrigger;
  /** The run policy, resolved here once. */
  policy: RunPolicy;
  /** e.g. "core_lib.yaml:14 core_lib.jobs[2] (name 'nightly', class 'UpdateCache')". */
  where: string;
}

/**
 * Validates and resolves the job list at `jobsPath`; throws one InvalidJobsConfigError listing
 * every problem, [] when absent or null. `knownJobs`: the job names the app registers, to check
 * `handler.class` against; undefined leaves class names unchecked (the CLI without `--jobs`).
 */
export function validateJobsConfig(
  config: LoadedConfig,
  jobsPath: string,
  knownJobs: readonly string[] | undefined,
): JobEntry[] {
  const list = config.at(jobsPath);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    const found = typeof list === 'object' ? 'a mapping' : `${typeof list} ${JSON.stringify(list)}`;
    throw new InvalidJobsConfigError([
      notAList(at(config.source, config.lineOf(jobsPath)), jobsPath, found),
    ]);
  }
  const problems: string[] = [];
  const names = assignNames(list);
  const context = { config, jobsPath, knownJobs, problems };
  const entries = list.map((raw, index) => checkEntry(context, raw, index, names[index]));
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return entries as JobEntry[];
}

interface CheckContext {
  config: LoadedConfig;
  jobsPath: string;
  knownJobs: readonly string[] | undefined;
  problems: string[];
}

/** Checks and resolves one entry, its problems going to `problems`. */
function checkEntry(
  { config, jobsPath, knownJobs, problems }: CheckContext,
  raw: unknown,
  index: number,
  naming: Naming,
): JobEntry | undefined {
  const where = (key = ''): string => {
    const line = lineNear(config, `${jobsPath}.${index}`, key);
    return entryWhere(at(config.source, line), jobsPath, index, naming.name, classOf(raw));
  };
  const report: Report = (field, value, expected) => {
    problems.push(fieldProblem(where(field), field, value, expected));
  };
  if (!isMapping(raw)) {
    problems.push(fieldProblem(where(), 'entry', raw, EXPECTED_ENTRY));
    return undefined;
  }
  const { name = '', problem } = naming;
  if (problem) report('name', Object.hasOwn(raw, 'name') ? raw.name : name, problem);
  // A value whose `${...}` failed is reported as such, and not validated again as written.
  const prefix = `${jobsPath}.${index}.`;
  const unresolvedKeys = new Set<string>();
  for (const u of config.unresolved.filter((u) => u.path.startsWith(prefix))) {
    const field = u.path.slice(prefix.length);
    unresolvedKeys.add(field.split('.')[0]);
    problems.push(unresolvedField(where(field), field, u.text, u.expected));
  }
  const className = unresolvedKeys.has('handler')
    ? ''
    : (checkHandler(raw, knownJobs, report) ?? '');
  const resolved = checkSpec(raw, report, unresolvedKeys);
  return { index, name, className, ...resolved, where: where() } as JobEntry;
}
/**
 * Line of `entry.key`, else of its closest existing parent (a missing `handler.class` points at
 * `handler`).
 */
function lineNear(config: LoadedConfig, entryPath: string, key: string): number | undefined {
  const parts = key ? key.split('.') : [];
  for (let n = parts.length; n >= 0; n--) {
    const line = config.lineOf([entryPath, ...parts.slice(0, n)].join('.'));
    if (line !== undefined) return line;
  }
  return undefined;
}
