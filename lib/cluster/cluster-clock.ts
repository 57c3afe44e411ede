/**
 * Offset of the backend's clock from `localNow`, NTP style: several samples of `time()`, keeping
 * the one with the smallest round trip (the least queueing), and assuming the backend read its
 * clock half-way through it. Rounded to whole milliseconds so due times stay integers.
 * @internal
 */
export async function measureOffset(
  time: () => Promise<number>,
  localNow: () => number,
  samples = 5,
): Promise<number> {
  let best: { rtt: number; offset: number } | undefined;
  for (let i = 0; i < samples; i++) {
    const sent = localNow();
    const backend = await time();
    const received = localNow();
    const rtt = received - sent;
    if (!best || rtt < best.rtt) best = { rtt, offset: backend + rtt / 2 - received };
  }
  return Math.round(best!.offset);
}
