/**
 * One Lambda of the engine from one row of the function table: bundled by esbuild (no Docker) on Node 22 /
 * arm64 with Powertools settings and its own log group — or, for fast assertion tests, the same function
 * resource with a tiny inline stub as its code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, aws_lambda as lambda, aws_lambda_nodejs as nodejs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { LambdaCodeMode } from '../config';
import { LAMBDA_ARCHITECTURE, LAMBDA_BUNDLING, LAMBDA_RUNTIME, REPO_ROOT } from '../bundling';
import type { FunctionSpec } from '../functionSpec';

export interface EngineFunctionProps {
  readonly spec: FunctionSpec;
  readonly code: LambdaCodeMode;
  readonly stage: string;
  readonly logLevel: string;
  readonly logRetention?: logs.RetentionDays;
}

/** 'StreamPublisher' → 'stream-publisher'. */
export const kebab = (id: string): string => id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The Powertools service name: one per function, so logs and metrics group by handler. */
export const serviceNameOf = (spec: FunctionSpec): string => `rotation-${kebab(spec.id)}`;

export const createEngineFunction = (scope: Construct, { spec, code, stage, logLevel, logRetention = logs.RetentionDays.ONE_MONTH }: EngineFunctionProps): lambda.Function => {
  const logGroup = new logs.LogGroup(scope, `${spec.id}Logs`, {
    retention: logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const common = {
    description: spec.description,
    runtime: LAMBDA_RUNTIME,
    architecture: LAMBDA_ARCHITECTURE,
    memorySize: spec.memoryMb ?? 512,
    timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
    logGroup,
    environment: {
      POWERTOOLS_SERVICE_NAME: serviceNameOf(spec),
      POWERTOOLS_LOG_LEVEL: logLevel,
      STAGE: stage,
      // Stack traces through the bundled source maps (read only when an error is printed).
      NODE_OPTIONS: '--enable-source-maps',
    },
  } satisfies Partial<lambda.FunctionProps>;

  if (code === 'stub') {
    return new lambda.Function(scope, spec.id, {
      ...common,
      handler: `index.${spec.handler}`,
      code: lambda.Code.fromInline(`exports.${spec.handler} = async () => { throw new Error('stub code: synthesized for tests only'); };`),
    });
  }

  const entry = path.resolve(REPO_ROOT, spec.entry);
  if (!fs.existsSync(entry)) {
    throw new Error(`Lambda ${spec.id}: entry ${spec.entry} does not exist. Fix its row in infra/functions.ts.`);
  }
  return new nodejs.NodejsFunction(scope, spec.id, {
    ...common,
    entry,
    handler: spec.handler,
    projectRoot: REPO_ROOT,
    depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
    bundling: LAMBDA_BUNDLING,
  });
};
