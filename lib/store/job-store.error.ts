import { STATE_FILE_INVALID, STATE_FILE_LOCKED, type LockOwner } from './store.messages.js';

/** A job store cannot be used: its state file is corrupt or unreadable, say. */
export class JobStoreError extends Error {
  override readonly name: string = 'JobStoreError';

  constructor(
    message: string,
    /** The state file concerned, when there is one. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** A state file whose content cannot be used; `problems` lists what is wrong, one line each. */
export class StateFileInvalidError extends JobStoreError {
  override readonly name = 'StateFileInvalidError';

  constructor(
    file: string,
    readonly problems: string[],
  ) {
    super(STATE_FILE_INVALID(file, problems), file);
  }
}

/** Another live process holds the state file's lock: the file store is for one instance. */
export class StateFileLockedError extends JobStoreError {
  override readonly name = 'StateFileLockedError';

  constructor(
    file: string,
    readonly lockFile: string,
    readonly owner: LockOwner,
  ) {
    super(STATE_FILE_LOCKED(file, lockFile, owner), file);
  }
}
