import type { JobInfo } from '../interfaces/job-info.interface.js';

const UNITS: Array<[string, number]> = [
  ['week', 604_800_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
  ['millisecond', 1],
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const NUMBER = /^\d+$/;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** `5 seconds`, `2 hours 32 minutes`. */
export function durationInWords(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of UNITS) {
    if (rest >= size) parts.push(plural(Math.floor(rest / size), unit));
    rest %= size;
  }
  return parts.join(' ') || '0 seconds';
}

/** "Every 5 seconds", "Once, 3 seconds after start", "Every day at 16:00". */
export function scheduleInWords(
  job: Pick<JobInfo, 'kind' | 'cron' | 'frequencyMs' | 'initialDelayMs'>,
): string {
  if (job.kind === 'interval') {
    const every = durationInWords(job.frequencyMs ?? 0);
    return `Every ${every.replace(/^1 (\w+)$/, '$1')}`;
  }
  if (job.kind === 'once') {
    return job.initialDelayMs
      ? `Once, ${durationInWords(job.initialDelayMs)} after start`
      : 'Once, at startup';
  }
  return cronInWords(job.cron ?? '');
}

/** A cron expression (5 fields, or 6 with seconds first) in words; odd ones field by field. */
export function cronInWords(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return expression;
  const [sec, min, hour, dom, month, dow] = fields.length === 6 ? fields : ['0', ...fields];
  const anyDay = dom === '*' && month === '*';
  if ([sec, min, hour].every((f) => NUMBER.test(f)) && anyDay) {
    const at = `at ${clock(hour, min, sec)}`;
    if (dow === '*') return `Every day ${at}`;
    const days = dayList(dow);
    if (days) return `${days} ${at}`;
  }
  if (
    [sec, min, hour].every((f) => NUMBER.test(f)) &&
    NUMBER.test(dom) &&
    month === '*' &&
    dow === '*'
  ) {
    return `On day ${dom} of every month at ${clock(hour, min, sec)}`;
  }
  if (anyDay && dow === '*') {
    const step = frequent(sec, min, hour);
    if (step) return step;
  }
  return fieldByField(sec, min, hour, dom, month, dow);
}

function clock(hour: string, min: string, sec: string): string {
  const hm = `${hour.padStart(2, '0')}:${min.padStart(2, '0')}`;
  return Number(sec) ? `${hm}:${sec.padStart(2, '0')}` : hm;
}

/** `Every Monday`, `Monday to Friday`, `Every Monday and Thursday`, or undefined. */
function dayList(field: string): string | undefined {
  const day = (f: string): string | undefined => {
    const i = NUMBER.test(f) ? Number(f) % 7 : DAY_NAMES.indexOf(f.toUpperCase());
    return DAYS[i];
  };
  const range = /^(\w+)-(\w+)$/.exec(field);
  if (range && day(range[1]) && day(range[2])) return `${day(range[1])} to ${day(range[2])}`;
  const days = field.split(',').map(day);
  if (days.some((d) => d === undefined)) return undefined;
  const last = days.pop();
  return `Every ${days.length ? `${days.join(', ')} and ${last}` : last}`;
}

/** Every n seconds, minutes or hours: `*` or `*\/n` in one field, fixed numbers below it. */
function frequent(sec: string, min: string, hour: string): string | undefined {
  const step = (f: string): number | undefined =>
    f === '*' ? 1 : /^\*\/\d+$/.test(f) ? Number(f.slice(2)) : undefined;
  const every = (n: number, unit: string): string =>
    n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`;
  if (step(sec) && min === '*' && hour === '*') return every(step(sec)!, 'second');
  if (!NUMBER.test(sec)) return undefined;
  const atSecond = Number(sec) ? `, at second ${sec}` : '';
  if (step(min) && hour === '*') return every(step(min)!, 'minute') + atSecond;
  if (NUMBER.test(min) && step(hour))
    return `${every(step(hour)!, 'hour')}, at minute ${min}${atSecond}`;
  return undefined;
}

function fieldByField(...fields: string[]): string {
  const labels = ['second', 'minute', 'hour', 'day of month', 'month', 'day of week'];
  const parts = fields.map((f, i) => {
    if (f === '*' || (i === 0 && f === '0')) return '';
    if (i === 5) return dayList(f)?.replace(/^Every /, 'on ') ?? `${labels[i]} ${f}`;
    const month = i === 4 && NUMBER.test(f) ? MONTHS[Number(f) - 1] : undefined;
    return month ? `in ${month}` : `${labels[i]} ${f}`;
  });
  return `At ${parts.filter(Boolean).join(', ')}`;
}
