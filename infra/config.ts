/**
 * Deploy-time settings of the CDK app, read once from CDK context (`-c key=value`) with an environment-variable
 * fallback, so `npx cdk deploy -c stage=prod` and `STAGE=prod npx cdk deploy` mean the same.
 */
import { RemovalPolicy, aws_logs as logs } from 'aws-cdk-lib';

export type LambdaCodeMode = 'bundled' | 'stub';

export interface EngineConfig {
  /** Short name of this deployment; part of the stack and bus names, so stages can share an account. */
  readonly stage: string;
  /** Who gets the CloudWatch alarm emails; required for a production stage, else no subscription. */
  readonly alarmEmail?: string;
  /**
   * 'retain' (default): the events table (the log, source of truth), the songbooks and the user pool survive
   * `cdk destroy`; everything else is rebuildable, transient or personal data, and is deleted. 'destroy': nothing
   * survives (throwaway stages).
   */
  readonly removalPolicy: 'retain' | 'destroy';
  /**
   * 'bundled': esbuild bundles every handler (what `cdk synth/deploy` and bench:bundle use).
   * 'stub': a tiny inline handler instead, so assertion tests synthesize in milliseconds. Never deploy a stub.
   */
  readonly lambdaCode: LambdaCodeMode;
  /** How long the EventBridge archive keeps events for replay; 0 keeps them forever. */
  readonly archiveRetentionDays: number;
  /**
   * The SES identity email alerts are sent from: a domain (sent as `alerts@<domain>`) or one address. Without
   * it the stage sends SMS only and records every email alert as failed; required for a production stage.
   */
  readonly emailIdentity?: string;
}

export const DEFAULT_CONFIG: EngineConfig = {
  stage: 'dev',
  removalPolicy: 'retain',
  lambdaCode: 'bundled',
  archiveRetentionDays: 365,
};

/** Context key → environment variable fallback. */
export const CONFIG_KEYS = {
  stage: 'STAGE',
  alarmEmail: 'ALARM_EMAIL',
  removalPolicy: 'REMOVAL_POLICY',
  lambdaCode: 'LAMBDA_CODE',
  archiveRetentionDays: 'ARCHIVE_RETENTION_DAYS',
  emailIdentity: 'EMAIL_IDENTITY',
} as const satisfies Record<keyof EngineConfig, string>;

type Lookup = (contextKey: keyof EngineConfig) => unknown;

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const oneOf = <T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T): T => {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${key} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
};

/** Validates eagerly: a typo in a deploy command should fail synth, not deploy something unintended. */
export const readConfig = (lookup: Lookup): EngineConfig => {
  const text = (key: keyof EngineConfig): string | undefined => {
    const value = lookup(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };

  const stage = text('stage') ?? DEFAULT_CONFIG.stage;
  if (!STAGE_PATTERN.test(stage)) throw new Error(`stage must match ${STAGE_PATTERN} (it names AWS resources); got "${stage}"`);

  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !EMAIL_PATTERN.test(alarmEmail)) throw new Error(`alarmEmail is not an email address: "${alarmEmail}"`);
  if (alarmEmail === undefined && PRODUCTION_STAGES.has(stage)) {
    throw new Error(`stage ${stage} needs alarmEmail (-c alarmEmail=… or ALARM_EMAIL): its alarms must reach someone`);
  }

  const emailIdentity = text('emailIdentity');
  if (emailIdentity !== undefined && !EMAIL_PATTERN.test(emailIdentity) && !DOMAIN_PATTERN.test(emailIdentity)) {
    throw new Error(`emailIdentity must be a domain or an email address: "${emailIdentity}"`);
  }
  if (emailIdentity === undefined && PRODUCTION_STAGES.has(stage)) {
    throw new Error(`stage ${stage} needs emailIdentity (-c emailIdentity=… or EMAIL_IDENTITY): singers who chose email must get their alerts`);
  }

  const retention = Number(text('archiveRetentionDays') ?? DEFAULT_CONFIG.archiveRetentionDays);
  if (!Number.isInteger(retention) || retention < 0) throw new Error(`archiveRetentionDays must be a whole number ≥ 0; got ${retention}`);

  return {
    stage,
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    removalPolicy: oneOf('removalPolicy', text('removalPolicy'), ['retain', 'destroy'], DEFAULT_CONFIG.removalPolicy),
    lambdaCode: oneOf('lambdaCode', text('lambdaCode'), ['bundled', 'stub'], DEFAULT_CONFIG.lambdaCode),
    archiveRetentionDays: retention,
    ...(emailIdentity !== undefined ? { emailIdentity } : {}),
  };
};

/** Stages whose alarms must reach a person: synth refuses them without an alarmEmail. */
export const PRODUCTION_STAGES: ReadonlySet<string> = new Set(['prod']);

export const isProduction = (config: Pick<EngineConfig, 'stage'>): boolean => PRODUCTION_STAGES.has(config.stage);

/** What differs between a production stage and the others, derived from the stage name alone. */
export interface StageSettings {
  /** POWERTOOLS_LOG_LEVEL of every function. */
  readonly logLevel: 'DEBUG' | 'INFO';
  /** CloudFormation termination protection on the stack. */
  readonly terminationProtection: boolean;
  /** Retention of every log group (functions, workflow, API access logs). */
  readonly logRetention: logs.RetentionDays;
  /** API stage throttling: steady requests per second and burst, for the whole stage. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Join-code lookups and redirects, per route: a phone needs one; a burst is a room scanning the QR at once. */
  readonly guessableThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

export const stageSettings = (config: Pick<EngineConfig, 'stage'>): StageSettings =>
  isProduction(config)
    ? { logLevel: 'INFO', terminationProtection: true, logRetention: logs.RetentionDays.THREE_MONTHS, apiThrottle: { rateLimit: 200, burstLimit: 400 }, guessableThrottle: { rateLimit: 20, burstLimit: 100 } }
    : { logLevel: 'DEBUG', terminationProtection: false, logRetention: logs.RetentionDays.ONE_WEEK, apiThrottle: { rateLimit: 50, burstLimit: 100 }, guessableThrottle: { rateLimit: 10, burstLimit: 50 } };

/** Context first, then the environment variable. */
export const contextThenEnv =
  (tryGetContext: (key: string) => unknown, env: NodeJS.ProcessEnv = process.env): Lookup =>
  (key) =>
    tryGetContext(key) ?? env[CONFIG_KEYS[key]];

/** Removal policy of data that is the source of truth (the event log) or hard to recreate (songbooks, user accounts). */
export const durableRemovalPolicy = (config: EngineConfig): RemovalPolicy =>
  config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

/** Everything else is rebuilt from the log (read models) or short-lived (tokens, idempotency keys, alerts). */
export const disposableRemovalPolicy = (): RemovalPolicy => RemovalPolicy.DESTROY;
