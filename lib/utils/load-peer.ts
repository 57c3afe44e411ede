import { JobsSetupError } from '../errors/jobs-setup.error.js';

/**
 * Imports an optional backend module (`load`); when it fails because the optional peer `pkg` is
 * not installed, throws a JobsSetupError with `missing` (which says what to install) instead.
 */
export async function loadPeer<T>(
  pkg: string,
  missing: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes(`'${pkg}'`)) {
      throw new JobsSetupError(missing);
    }
    throw error;
  }
}
