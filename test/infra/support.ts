/**
 * Synthesizes the engine stack for assertions, with stub Lambda code (no esbuild) and without CDK's built-in
 * CloudFormation validation (a WASM engine, ~10 s per synth here; `npm run synth` keeps it on, as errors), so a
 * whole template takes about a second. The function table, triggers, grants and env are the real ones.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG, type EngineConfig } from '../../infra/config';
import { RotationEngineStack } from '../../infra/stack';

export type CfnResource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

export const synthEngine = (overrides: Partial<EngineConfig> = {}) => {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new RotationEngineStack(app, 'TestEngine', { config: { ...DEFAULT_CONFIG, lambdaCode: 'stub', ...overrides } });
  return { stack, template: Template.fromStack(stack) };
};

export const resourcesOf = (template: Template, type: string): Record<string, CfnResource> =>
  template.findResources(type) as Record<string, CfnResource>;

/** The one resource of a type whose logical id starts with the given construct path (e.g. 'FunctionsApi'). */
export const logicalIdOf = (template: Template, type: string, prefix: string): string => {
  const ids = Object.keys(resourcesOf(template, type)).filter((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  if (ids.length !== 1) throw new Error(`Expected one ${type} named ${prefix}…, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
};

/** The logical id a `{Ref}` / `{Fn::GetAtt}` points at, or undefined for anything else. */
export const referencedId = (value: unknown): string | undefined => {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt'])) return v['Fn::GetAtt'][0] as string;
  }
  return undefined;
};

export interface FlatStatement {
  readonly effect: string;
  readonly actions: string[];
  /** Logical ids of referenced resources, or the literal string (e.g. '*'), or JSON of a composite value. */
  readonly resources: string[];
  readonly notResources: string[];
  readonly condition?: unknown;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const describeResource = (r: unknown): string => {
  if (typeof r === 'string') return r;
  // A table's stream is not the table: `<id>.StreamArn`.
  const getAtt = (r as any)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] !== 'Arn') return `${getAtt[0]}.${getAtt[1]}`;
  const id = referencedId(r);
  if (id) return id;
  // Fn::Join of a reference and a suffix, e.g. `${table.Arn}/index/*` or `${topic}:*`
  const join = (r as any)?.['Fn::Join'];
  if (join) return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : (referencedId(part) ?? JSON.stringify(part)))).join('');
  return JSON.stringify(r);
};

/** Every statement of every identity policy attached to the role of a Lambda function. */
export const statementsOfFunction = (template: Template, functionLogicalId: string): FlatStatement[] => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  if (!fn) throw new Error(`No function ${functionLogicalId}`);
  return statementsOfRole(template, referencedId(fn.Properties.Role)!);
};

export const statementsOfRole = (template: Template, roleLogicalId: string): FlatStatement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => asArray(p.Properties.Roles).some((r) => referencedId(r) === roleLogicalId))
    .flatMap((p) => asArray<any>(p.Properties.PolicyDocument.Statement))
    .map((s) => ({
      effect: s.Effect,
      actions: asArray<string>(s.Action),
      resources: asArray(s.Resource).map(describeResource),
      notResources: asArray(s.NotResource).map(describeResource),
      condition: s.Condition,
    }));

/** Actions a set of statements allows on a resource (by logical id, or a string like '<id>:*'). */
export const actionsOn = (statements: FlatStatement[], resource: string): string[] =>
  statements.filter((s) => s.effect === 'Allow' && s.resources.includes(resource)).flatMap((s) => s.actions);
