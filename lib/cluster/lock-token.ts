import { randomBytes } from 'node:crypto';

/**
 * A fresh run-lease token: random, and carrying its holder so a loser can name who runs it.
 * @internal
 */
export function newLockToken(holder: string): string {
  return `${randomBytes(12).toString('hex')}@${holder}`;
}

/**
 * The holder a token was made for (undefined for a value that is not one of our tokens).
 * @internal
 */
export function holderOfToken(token: string | null | undefined): string | undefined {
  const at = token?.indexOf('@') ?? -1;
  return at < 0 ? undefined : token!.slice(at + 1);
}
