import { BAD_COUNT, BAD_FROM, BAD_ZONE } from './cli.messages.js';
import { UsageError, type ParsedValues } from './cli.args.js';
import { isTimeZone, localTimeZone, wallTimeInZone } from './zoned-time.js';

/** When the preview starts, how many times per job, and the server's time zone. */
export interface PreviewSettings {
  from: number;
  count: number;
  zone: string;
}

const MAX_COUNT = 1_000;
// 2026-03-28, 2026-03-28T12:00, 2026-03-28T12:00:30.5, each with an optional Z or ±hh:mm.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

export function previewSettingsOf(values: ParsedValues): PreviewSettings {
  const zone = (values.tz as string | undefined) ?? localTimeZone();
  if (!isTimeZone(zone)) throw new UsageError(BAD_ZONE(zone));
  const countText = (values.count as string | undefined) ?? '5';
  const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
  if (!(count >= 1 && count <= MAX_COUNT)) throw new UsageError(BAD_COUNT(countText));
  const fromText = values.from as string | undefined;
  const from = fromText === undefined ? Date.now() : parseFrom(fromText, zone);
  return { from, count, zone };
}

/** An ISO time; without an offset, a wall-clock time of `zone`. */
function parseFrom(text: string, zone: string): number {
  const match = ISO.exec(text.trim());
  const ms = !match ? NaN : match[7] ? Date.parse(text.trim()) : wallTime(match, zone);
  if (Number.isNaN(ms)) throw new UsageError(BAD_FROM(text));
  return ms;
}

function wallTime(match: RegExpExecArray, zone: string): number {
  const parts = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part)));
  const [year, month, day, hour, minute, second] = parts;
  // Date.UTC rolls 2026-02-30 over to March: such a date is not one.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  return wallTimeInZone(parts, zone);
}
