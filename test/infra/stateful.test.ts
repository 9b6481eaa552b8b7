import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';
import { defaultApp } from '../support/synth-app.ts';
import { listingBusNameFor } from '../../infra/stateful-stack.ts';
import { DEFAULT_FUNCTION_PREFIX } from '../../workflows/task-names.ts';

let template: Template;
let outdir: string;

beforeAll(() => {
  // Synthesis runs the cdk-nag AwsSolutions plugin and throws on any unacknowledged finding.
  const app = defaultApp();
  outdir = app.outdir;
  template = Template.fromJSON(app.stateful as unknown as Record<string, unknown>);
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding on the whole app', () => {
    const report = join(outdir, 'validation-report.json');
    if (existsSync(report)) {
      const parsed = JSON.parse(readFileSync(report, 'utf8')) as { pluginReports: { conclusion: string }[] };
      expect(parsed.pluginReports.map((r) => r.conclusion)).not.toContain('failure');
    }
  });
});

describe('the table', () => {
  it('is on demand, point-in-time recoverable, deletion protected and encrypted', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('has the keys and indexes of TABLE_SCHEMA, and no others', () => {
    const [table] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    const props = table?.Properties as {
      KeySchema: { AttributeName: string; KeyType: string }[];
      GlobalSecondaryIndexes: {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
      }[];
    };
    expect(props.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
    ]);
    const indexes = props.GlobalSecondaryIndexes.map((i) => ({ name: i.IndexName, keys: i.KeySchema }));
    expect(indexes).toEqual(
      TABLE_SCHEMA.globalSecondaryIndexes.map((i) => ({
        name: i.indexName,
        keys: [
          { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
        ],
      })),
    );
  });
});

describe('the evidence bucket', () => {
  // The bucket that logs its access (to the access-log bucket, which is versioned too).
  const evidenceBucket = () => {
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' }, LoggingConfiguration: Match.anyValue() },
    });
    const entries = Object.entries(buckets);
    expect(entries).toHaveLength(1);
    return entries[0]!;
  };

  it('blocks public access, encrypts, keeps versions and logs access', () => {
    const [, bucket] = evidenceBucket();
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { LogFilePrefix: 'evidence/' },
    });
  });

  it('aborts abandoned multipart uploads and expires replaced versions', () => {
    const [, bucket] = evidenceBucket();
    const rules = (bucket.Properties as { LifecycleConfiguration: { Rules: Record<string, unknown>[] } })
      .LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        Status: 'Enabled',
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
    );
  });

  it('allows browsers to POST the presigned upload, and nothing else cross-origin', () => {
    const [, bucket] = evidenceBucket();
    expect(bucket.Properties).toMatchObject({
      CorsConfiguration: { CorsRules: [expect.objectContaining({ AllowedMethods: ['POST'] })] },
    });
  });

  it('denies every request that does not use TLS', () => {
    const [logicalId] = evidenceBucket();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the user directory', () => {
  it('is a retained Cognito pool with officer and applicant groups, admin-created users and MFA', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((g) => (g.Properties as { GroupName: string }).GroupName).sort()).toEqual([
      'applicant',
      'officer',
    ]);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('by default lets its app client write only the display name, with no OAuth flow and no callback', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      WriteAttributes: ['name'],
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
    });
  });
});

describe('the link-signing secret', () => {
  it('is generated and retained', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
  });
});

describe('the listing-change bus', () => {
  it('exists under its well-known name', () => {
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: listingBusNameFor(DEFAULT_FUNCTION_PREFIX),
    });
  });
});
