/**
 * The CDK app (cdk.json runs it with tsx): `npx cdk deploy` deploys the whole engine as one stack.
 * Settings come from context or env (infra/config.ts); the stack is env-agnostic, so synth needs no account.
 */
import { App, Tags } from 'aws-cdk-lib';
import { contextThenEnv, readConfig } from './config';
import { RotationEngineStack } from './stack';

const app = new App();
const config = readConfig(contextThenEnv((key) => app.node.tryGetContext(key)));

const stack = new RotationEngineStack(app, `KaraokeRotation-${config.stage}`, {
  config,
  description: `Karaoke rotation engine (${config.stage}): event-sourced rotation, HTTP API, turn workflow`,
});
Tags.of(stack).add('project', 'karaoke-rotation');
Tags.of(stack).add('stage', config.stage);

app.synth();
