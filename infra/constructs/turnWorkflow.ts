/**
 * The per-turn Step Functions workflow, deployed from the very ASL the local runtime executes
 * (src/workflows/definition.ts), with each `${…FunctionArn}` placeholder bound to its task Lambda.
 */
import { ArnFormat, RemovalPolicy, Stack, aws_lambda as lambda, aws_logs as logs, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { turnWorkflowAsl } from '../../src/workflows/definition';
import { DEFAULT_TURN_STATE_MACHINE_NAME, TURN_EXECUTION_TIMEOUT_SECONDS, TURN_SUBSTITUTIONS, type TurnSubstitutionKey } from '../../src/workflows/names';

export interface TurnWorkflowProps {
  readonly stage: string;
  /** One function per DefinitionSubstitutions key of the ASL. */
  readonly taskFunctions: ReadonlyMap<string, lambda.IFunction>;
  readonly logRetention: logs.RetentionDays;
}

export class TurnWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** The state machine's ARN built from its fixed name, without referencing it (for its own task functions). */
  readonly arnFromName: string;

  constructor(scope: Construct, id: string, { stage, taskFunctions, logRetention }: TurnWorkflowProps) {
    super(scope, id);
    const required = Object.values(TURN_SUBSTITUTIONS) as TurnSubstitutionKey[];
    const missing = required.filter((key) => !taskFunctions.has(key));
    const unknown = [...taskFunctions.keys()].filter((key) => !(required as string[]).includes(key));
    if (missing.length > 0 || unknown.length > 0) {
      throw new Error(
        `Turn workflow substitutions do not match src/workflows/names.ts: missing ${missing.join(', ') || 'none'}; unknown ${unknown.join(', ') || 'none'}`,
      );
    }

    const stateMachineName = `${DEFAULT_TURN_STATE_MACHINE_NAME}-${stage}`;
    this.arnFromName = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // /aws/vendedlogs/ keeps the log group out of CloudWatch Logs' resource-policy size limit.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      // Standard: callbacks (waitForTaskToken) and waits of up to an hour; execution names dedupe per turn.
      stateMachineType: sfn.StateMachineType.STANDARD,
      // The shared ASL plus a whole-execution timeout, so a stuck turn ends and its alarm can fire.
      definitionBody: sfn.DefinitionBody.fromString(turnWorkflowAsl({ executionTimeoutSeconds: TURN_EXECUTION_TIMEOUT_SECONDS })),
      definitionSubstitutions: Object.fromEntries(required.map((key) => [key, taskFunctions.get(key)!.functionArn])),
      // Every transition, without payloads: task tokens and singer ids stay out of the logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // The ASL arrives as a string, so CDK cannot see its Lambda tasks: allow exactly those functions.
    for (const fn of new Set(taskFunctions.values())) fn.grantInvoke(this.stateMachine);
  }
}
