/** Message text of `LeaseLostError`. */
export const LEASE_LOST_ABORT = (name: string, backend: string): string =>
  `Job ${name} lost its cluster lease on ${backend} while running: its signal is aborted, ` +
  'since another replica may start the job before this run ends';
