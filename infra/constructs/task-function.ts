import type { Duration } from 'aws-cdk-lib';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { HANDLER_EXPORT } from '../../workflows/task-names.ts';
import { REPO_ROOT } from '../paths.ts';

export interface TaskFunctionProps {
  /** Handler module, relative to the repository root. */
  readonly module: string;
  /** The module's export that is the Lambda handler; `handler` when absent. */
  readonly exportName?: string;
  readonly functionName: string;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly logRetention: logs.RetentionDays;
  /**
   * false only in tests that synthesize before the handler modules exist or want to skip esbuild:
   * the function then gets placeholder inline code. Deployments always bundle.
   */
  readonly bundle: boolean;
  readonly environment?: Record<string, string>;
  /**
   * true where the function mails through SMTP (no SES: AWS China): nodemailer goes into the
   * bundle. Elsewhere it stays out, as it serves only the embedded runtime's outbox and SMTP.
   */
  readonly bundlesSmtp?: boolean;
}

/**
 * Packages a bundle leaves out unless its function uses them: nodemailer, which the SMTP and
 * outbox mailers import on demand, on paths only SMTP mail turns on. (The secret readers import
 * the Secrets Manager client on demand too; as an @aws-sdk/* package it stays out of every bundle,
 * and its dynamic import stays dynamic.)
 */
export function onDemandExternals(props: Pick<TaskFunctionProps, 'bundlesSmtp'>): string[] {
  return props.bundlesSmtp ? [] : ['nodemailer'];
}

/**
 * A Lambda function for one handler (a module and one of its exports): Node.js 24 on ARM64, bundled locally by esbuild as a
 * minified ESM file with source maps and the AWS SDK left to the runtime, with its own role (no
 * managed policies), its own log group and X-Ray tracing.
 */
export class TaskFunction extends Construct {
  readonly fn: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    const exportName = props.exportName ?? HANDLER_EXPORT;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.module} (${exportName})`,
    });
    this.logGroup.grantWrite(role);

    const common = {
      functionName: props.functionName,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    } satisfies Partial<lambda.FunctionProps>;

    this.fn = props.bundle
      ? new NodejsFunction(this, 'Function', {
          ...common,
          entry: join(REPO_ROOT, props.module),
          handler: exportName,
          projectRoot: REPO_ROOT,
          depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
          bundling: {
            format: OutputFormat.ESM,
            target: 'node24',
            minify: true,
            sourceMap: true,
            sourceMapMode: SourceMapMode.DEFAULT,
            mainFields: ['module', 'main'],
            // The SDK is the runtime's; the rest is left out where the function never loads it.
            externalModules: ['@aws-sdk/*', ...onDemandExternals(props)],
            // CommonJS dependencies inside an ESM bundle still call require().
            banner:
              "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
            forceDockerBundling: false,
          },
        })
      : new lambda.Function(this, 'Function', {
          ...common,
          handler: `index.${exportName}`,
          code: lambda.Code.fromInline(
            `exports.${exportName} = async () => { throw new Error('${props.module} was not bundled'); };`,
          ),
        });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so Resource must be *.',
    });
  }
}
