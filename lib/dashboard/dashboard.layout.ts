import { createHash } from 'node:crypto';
import { POLL_MS, TOKEN_HEADER } from './dashboard.constants.js';
import { clientScripts } from './dashboard-client.asset.js';
import { CLIENT_TEXT } from './dashboard.messages.js';
import { DASHBOARD_STYLES } from './dashboard.styles.js';
import { escapeHtml as esc } from './html-escape.js';
import type { ClientText } from './interfaces/dashboard-api.interface.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64');

/** Read once, at module load, from the built files: the bytes hashed are the bytes served. */
const SCRIPTS = clientScripts();

/**
 * The pages run only their own scripts and style (allowed by hash), talk only to their own
 * origin, submit forms only to it (the list's search), and cannot be framed (clickjacking).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${SCRIPTS.map((s) => `'sha256-${s.hash}'`).join(' ')}`,
  `style-src 'sha256-${sha256(DASHBOARD_STYLES)}'`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TEXT: ClientText = { ...CLIENT_TEXT, tokenHeader: TOKEN_HEADER };
/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** What every page has: where the dashboard is mounted, the token, read-only mode. */
export interface PageOptions {
  readOnly: boolean;
  token: string;
  /** The dashboard's URL path (`/jobs-dashboard`), from which the script builds its API URLs. */
  base: string;
}

/** A whole page around `body`; `data` adds `data-*` attributes to its root element. */
export function renderDocument(
  title: string,
  body: string,
  options: PageOptions & { page: 'list' | 'job'; now: string; data?: Record<string, string> },
): string {
  const attrs = Object.entries({
    page: options.page,
    base: options.base,
    token: options.token,
    'poll-ms': String(POLL_MS),
    now: options.now,
    'read-only': String(options.readOnly),
    ...options.data,
  })
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${DASHBOARD_STYLES}</style>
</head>
<body>
<main data-dashboard${attrs}>
${body}
</main>
<script type="application/json" id="dashboard-text">${scriptJson(TEXT)}</script>
${SCRIPTS.map((s) => `<script type="module">${s.source}</script>`).join('\n')}
</body>
</html>
`;
}
