import { randomBytes } from 'node:crypto';

/** Random per process: with the counter, no two leases anywhere share a token. */
const PROCESS_NONCE = randomBytes(12).toString('base64url');
let issued = 0;

/**
 * A fresh run-lease token, carrying its holder so a loser can name who runs it. A token only has
 * to be unique (a lease is released or extended by the one who holds its token; replicas are
 * not adversaries), so it is this process's random nonce and a counter: a burst of thousands of
 * claims costs no call for random bytes each.
 * @internal
 */
export function newLockToken(holder: string): string {
  issued = (issued + 1) % Number.MAX_SAFE_INTEGER;
  return `${PROCESS_NONCE}.${issued.toString(36)}@${holder}`;
}

/**
 * The holder a token was made for (undefined for a value that is not one of our tokens).
 * @internal
 */
export function holderOfToken(token: string | null | undefined): string | undefined {
  const at = token?.indexOf('@') ?? -1;
  return at < 0 ? undefined : token!.slice(at + 1);
}
