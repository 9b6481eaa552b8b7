import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SMTP_SECRET_TEMPLATE } from '../functions/adapters/secrets-manager/smtp-settings.ts';
import { TABLE_SCHEMA } from '../functions/ports/store/schema.ts';
import type { DeployConfig } from './config.ts';
import { UserDirectory } from './constructs/user-directory.ts';

/**
 * What holds data, never replaced casually and retained when deleted: the table, the evidence
 * bucket, the listing-change bus, the Cognito user pool (the users), the review-link secret
 * (every open link's hash depends on it) and, in China, the SMTP credentials.
 */

export const listingBusNameFor = (prefix: string): string => `${prefix}-listing`;

export interface StatefulStackProps extends StackProps {
  readonly config: DeployConfig;
}

/**
 * The export under which the evidence bucket's ARN reaches the stateless stack. Named, not
 * generated, so the cdk-nag acknowledgement of the `applications/*` object grant can name it.
 */
export const evidenceBucketArnExportFor = (prefix: string): string => `${prefix}-evidence-bucket-arn`;

const attribute = (key: { name: string; type: 'S' | 'N' }): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class StatefulStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly evidenceBucket: s3.Bucket;
  readonly listingBus: events.EventBus;
  readonly evidenceBucketArnExport: string;
  readonly linkSecret: secretsmanager.Secret;
  /** The Cognito pool; absent when an OIDC issuer signs users in (always in China). */
  readonly userDirectory?: UserDirectory;
  /** SMTP host and credentials, filled in by the deployer; only where mail goes through SMTP. */
  readonly smtpSecret?: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: attribute(TABLE_SCHEMA.partitionKey),
      sortKey: attribute(TABLE_SCHEMA.sortKey),
      billing: dynamodb.Billing.onDemand(),
      globalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      })),
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // Log delivery is granted by bucket policy (no ACLs), as S3 recommends.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned, so a log object deleted or overwritten stays recoverable for a while.
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket of the evidence bucket; logging it into itself would loop.',
    });

    this.evidenceBucket = new s3.Bucket(this, 'Evidence', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      lifecycleRules: [
        // Uploads the applicant abandoned half way, and replaced versions, cost money and serve no one.
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { noncurrentVersionExpiration: Duration.days(90) },
      ],
      cors: [
        {
          // The browser POSTs the file straight to the presigned POST URL.
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: [...config.webOrigins],
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evidenceBucketArnExport = evidenceBucketArnExportFor(config.prefix);
    this.exportValue(this.evidenceBucket.bucketArn, { name: this.evidenceBucketArnExport });

    this.listingBus = new events.EventBus(this, 'ListingBus', {
      eventBusName: listingBusNameFor(config.prefix),
    });

    this.linkSecret = new secretsmanager.Secret(this, 'LinkSecret', {
      secretName: `${config.prefix}/review-link-secret`,
      description: 'HMAC key under which review link ids are stored (functions/usecases/reviews/link-ids.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The table stores review links only as HMACs under this key: rotating it would void every open review link at once. Links expire with their review (at most 60 days), and the key never leaves Secrets Manager and the functions that read it.',
    });

    if (config.jwt === undefined) {
      this.userDirectory = new UserDirectory(this, 'Directory', {
        prefix: config.prefix,
        oauthCallbackUrls: config.oauthCallbackUrls,
      });
      // Printed by the stack that owns the pool: the first officers are created in it.
      new CfnOutput(this, 'UserPoolId', { value: this.userDirectory.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.userDirectory.client.userPoolClientId });
    }

    if (config.mail.transport === 'smtp') {
      this.smtpSecret = new secretsmanager.Secret(this, 'SmtpCredentials', {
        secretName: `${config.prefix}/smtp`,
        description:
          'SMTP relay for outgoing mail: fill in host, port, secure, username and password (docs/deploy.md)',
        // The shape the mailer reads, so the deployer sees what to fill in; the generated password
        // is only a placeholder until the provider's is put in.
        generateSecretString: {
          secretStringTemplate: JSON.stringify(SMTP_SECRET_TEMPLATE),
          generateStringKey: 'password',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(this.smtpSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The SMTP password is issued by the mail provider, not by AWS: there is no rotation function that could change it at the provider. Rotate it there and put the new value here.',
      });
    }
  }
}
