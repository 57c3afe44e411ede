/** Message text of `JobsSetupError`. */
export const IMPORTED_TWICE = (): string =>
  'CoreLibJobsModule.forRoot() is imported more than once (each import makes its own ' +
  'instance); it is global, so import it once, in the root module';
export const FACTORY_IMPORTS = (): string =>
  'CoreLibJobsModule.forRootAsync: useFactory returned `imports`, but modules are wired ' +
  'before the factory runs; pass forRootAsync({ imports }) instead';
export const SAME_JOB_NAME = (name: string, a: string, b: string): string =>
  `Two job classes are named '${name}' (${a} and ${b}); give one of them @Job({ name })`;
export const NO_RUN_METHOD = (cls: string): string =>
  `@Job() class ${cls} has no run() method; extend BaseJob or add run()`;
export const UNKNOWN_CORE_LIB = (label: string): string =>
  `CoreLibJobsModule options: coreLib ${label} is not a provider of this app; ` +
  "add it to a module's providers";
