import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  readonly prefix: string;
  /** The domain mail is sent from; SES verifies it through the DKIM records it asks for. */
  readonly senderDomain: string;
  /**
   * false when another deployment in the account and region already created the domain's
   * identity: SES has one identity per domain per account and region, not one per stack.
   */
  readonly createIdentity: boolean;
}

/**
 * SES v2: the sender domain's identity and a configuration set that keeps addresses which bounced
 * or complained on the account's suppression list, so the system stops mailing them.
 */
export class Mail extends Construct {
  readonly identity?: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly identityName: string;
  readonly configurationSetName: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.configurationSetName = `${props.prefix}-mail`;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
    });
    this.identityName = props.senderDomain;
    if (props.createIdentity) {
      this.identity = new ses.EmailIdentity(this, 'Identity', {
        identity: ses.Identity.domain(props.senderDomain),
        configurationSet: this.configurationSet,
      });
    }
  }
}
