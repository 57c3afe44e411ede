// Runs once before the `browser` project: one clear line when Chromium is missing.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default async function browserGlobalSetup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install Debian's package with ` +
        '`apt-get install chromium` (or set CHROMIUM_PATH); nothing downloads a browser',
    );
  }
}
