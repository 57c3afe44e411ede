// parse-duration documents `import es from 'parse-duration/locale/es.js'`, but ships no types
// for it.
declare module 'parse-duration/locale/*.js' {
  import type parse from 'parse-duration';

  const unit: typeof parse.unit;
  export default unit;
}
