/**
 * How every Lambda is built: one settings object shared by the CDK app (NodejsFunction) and bench/bundle.ts,
 * so the sizes the bench prints are the sizes that deploy.
 */
import * as path from 'node:path';
import { aws_lambda as lambda, aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;

/** Repository root: entries in infra/functions.ts are relative to it. */
export const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * - The AWS SDK v3 is bundled (externalModules: []), not taken from the runtime: the handlers run against the
 *   exact SDK versions package-lock.json pins and the tests use (the runtime's copy changes under us on
 *   Lambda's schedule), and a tree-shaken single file loads faster on a cold start than resolving the
 *   runtime's full client packages. Measured: the API bundle is ~0.5 MB minified with the SDK, ~0.13 MB
 *   without — well inside the 1 MB budget bench:bundle enforces.
 * - mainFields module-first: the SDK's ES builds tree-shake far better (API bundle 0.72 MB → 0.49 MB).
 * - CommonJS: works with every dependency as-is (no createRequire banner); nothing here needs top-level await.
 * - Source maps (external file) so stack traces in CloudWatch point at TypeScript lines; they are only read
 *   when an error is printed (NODE_OPTIONS=--enable-source-maps, set by the function factory).
 */
export const LAMBDA_BUNDLING = {
  forceDockerBundling: false,
  minify: true,
  // Minifying renames classes; the typed errors' `name` (new.target.name) is what the turn workflow's
  // Retry/Catch match (`EventStoreUnavailableError`, `ConcurrencyError`, `AlertDeliveryFailedError`), so the
  // names must survive. test/workflows/bundledHandlers.test.ts runs the workflow on these bundles.
  keepNames: true,
  sourceMap: true,
  target: 'node22',
  format: nodejs.OutputFormat.CJS,
  mainFields: ['module', 'main'],
  externalModules: [] as string[],
  // Already implied by externalModules: [] (nothing is external); stated for the reader.
  bundleAwsSDK: true,
  logLevel: nodejs.LogLevel.WARNING,
} as const satisfies nodejs.BundlingOptions;

/** The same settings as esbuild build options, for bench/bundle.ts. */
export const esbuildOptionsFor = (entry: string, outfile: string) => ({
  entryPoints: [path.resolve(REPO_ROOT, entry)],
  outfile,
  bundle: true,
  platform: 'node' as const,
  target: LAMBDA_BUNDLING.target,
  format: 'cjs' as const,
  minify: LAMBDA_BUNDLING.minify,
  keepNames: LAMBDA_BUNDLING.keepNames,
  sourcemap: LAMBDA_BUNDLING.sourceMap,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  external: [...LAMBDA_BUNDLING.externalModules],
  logLevel: 'warning' as const,
});
