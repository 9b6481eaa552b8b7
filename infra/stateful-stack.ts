import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../functions/lib/store/schema.ts';

/** What holds data: the table, the evidence bucket and the listing-change bus. Never replaced casually. */

export const LISTING_BUS_NAME = 'credit-repair-listing';

export interface StatefulStackProps extends StackProps {
  readonly prefix: string;
  readonly evidenceUploadOrigins: readonly string[];
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

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: attribute(TABLE_SCHEMA.partitionKey),
      sortKey: attribute(TABLE_SCHEMA.sortKey),
      billing: dynamodb.Billing.onDemand(),
      globalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
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
          allowedOrigins: [...props.evidenceUploadOrigins],
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evidenceBucketArnExport = evidenceBucketArnExportFor(props.prefix);
    this.exportValue(this.evidenceBucket.bucketArn, { name: this.evidenceBucketArnExport });

    this.listingBus = new events.EventBus(this, 'ListingBus', { eventBusName: LISTING_BUS_NAME });
  }
}
