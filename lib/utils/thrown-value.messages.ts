/** Texts standing for a thrown value that cannot be shown as it is. */
export const UNREADABLE_MESSAGE = (errorName: string): string =>
  `${errorName} (its message cannot be read)`;
export const UNREADABLE_PROXY = (): string => 'a proxy that cannot be read';
export const UNDESCRIBABLE = (): string => 'a value that cannot be described';
export const CLIPPED = (moreChars: number): string => `… (${moreChars} more characters)`;
