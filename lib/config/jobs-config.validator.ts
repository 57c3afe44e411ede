import type { JobSpecInput, JobTrigger, RunPolicy } from '../engine/job-spec.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import type { LoadedConfig } from './config.loader.js';
import { checkHandler, checkSpec, type Report } from './jobs-config.fields.js';
import { assignNames, classOf, isMapping, type Naming } from './jobs-config.names.js';
import {
  LOCATION,
  ENTRY_WHERE,
  EXPECTED_ENTRY,
  FIELD_PROBLEM,
  NOT_A_LIST,
  UNRESOLVED_FIELD,
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
  /**
   * e.g. "core_lib.yaml:14 core_lib.jobs[2] (name 'nightly', class 'UpdateCache')". Worked out
   * when first read: only messages need it.
   */
  readonly where: string;
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
      NOT_A_LIST(LOCATION(config.source, config.lineOf(jobsPath)), jobsPath, found),
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

/** An entry's place, worked out (line lookups, text) only when a message needs it. */
class EntryPlace {
  constructor(
    private readonly context: CheckContext,
    private readonly raw: unknown,
    private readonly index: number,
    private readonly name: string | undefined,
  ) {}

  /** The entry, or its field `key` (dotted), as messages name it, with its line. */
  of(key = ''): string {
    const { config, jobsPath } = this.context;
    const line = lineNear(config, `${jobsPath}.${this.index}`, key);
    return ENTRY_WHERE(
      LOCATION(config.source, line),
      jobsPath,
      this.index,
      this.name,
      classOf(this.raw),
    );
  }
}

/** A checked entry; `where` is worked out on first read. */
class CheckedEntry implements JobEntry {
  private place: EntryPlace | string;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly className: string,
    readonly spec: JobSpecInput,
    readonly params: unknown,
    readonly trigger: JobTrigger,
    readonly policy: RunPolicy,
    place: EntryPlace,
  ) {
    this.place = place;
  }

  get where(): string {
    if (typeof this.place !== 'string') this.place = this.place.of();
    return this.place;
  }
}

/**
 * Checks and resolves one entry, its problems going to `problems`. Where a problem is, is worked
 * out only for a problem: at 100,000 entries, doing it for every entry cost ~1.5 µs each.
 */
function checkEntry(
  context: CheckContext,
  raw: unknown,
  index: number,
  naming: Naming,
): JobEntry | undefined {
  const { config, jobsPath, knownJobs, problems } = context;
  const place = new EntryPlace(context, raw, index, naming.name);
  const report: Report = (field, value, expected) => {
    problems.push(FIELD_PROBLEM(place.of(field), field, value, expected));
  };
  if (!isMapping(raw)) {
    problems.push(FIELD_PROBLEM(place.of(), 'entry', raw, EXPECTED_ENTRY));
    return undefined;
  }
  const { name = '', problem } = naming;
  if (problem) report('name', Object.hasOwn(raw, 'name') ? raw.name : name, problem);
  // A value whose `${...}` failed is reported as such, and not validated again as written.
  const unresolvedKeys = new Set<string>();
  if (config.unresolved.length) {
    const prefix = `${jobsPath}.${index}.`;
    for (const failed of config.unresolved.filter((failed) => failed.path.startsWith(prefix))) {
      const field = failed.path.slice(prefix.length);
      unresolvedKeys.add(field.split('.')[0]);
      problems.push(UNRESOLVED_FIELD(place.of(field), field, failed.text, failed.expected));
    }
  }
  const className = unresolvedKeys.has('handler')
    ? ''
    : (checkHandler(raw, knownJobs, report) ?? '');
  const { spec, params, trigger, policy } = checkSpec(raw, report, unresolvedKeys);
  // Without trigger or policy a problem was reported: the entries are never returned then.
  return new CheckedEntry(index, name, className, spec, params, trigger!, policy!, place);
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
