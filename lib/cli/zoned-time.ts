/** Times shown and read in an IANA time zone, with Intl only (no date library). */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formats.set(zone, format);
  }
  return format;
}

/** Whether `zone` is an IANA time zone Node knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** `2026-03-29T03:00:00+02:00`: the instant `ms` as the wall clock of `zone` shows it. */
export function formatInZone(ms: number, zone: string): string {
  const parts = Object.fromEntries(
    formatOf(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.slice(3);
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return `${date}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The offset of `zone` from UTC at the instant `ms`, in ms. */
function offsetAt(ms: number, zone: string): number {
  const shown = formatInZone(ms, zone);
  const sign = shown.endsWith('+00:00') ? 1 : shown.at(-6) === '-' ? -1 : 1;
  const [hours, minutes] = shown.slice(-5).split(':').map(Number);
  return sign * (hours * 60 + minutes) * 60_000;
}

/**
 * The instant a wall-clock time of `zone` names (`[year, month, day, hour, minute, second]`,
 * month 1-12). A time a DST change skips is read with the offset before it; a time it repeats,
 * as its second occurrence.
 */
export function wallTimeInZone(parts: number[], zone: string): number {
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = asUtc - offsetAt(asUtc, zone);
  return asUtc - offsetAt(guess, zone);
}

/** The zone this machine uses. */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
