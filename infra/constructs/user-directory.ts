import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../functions/auth/principal.ts';

export interface UserDirectoryProps {
  readonly prefix: string;
  /**
   * Where the hosted sign-in may return users (authorization code flow with PKCE). Empty: the app
   * client has no OAuth flow at all and clients sign in with SRP.
   */
  readonly oauthCallbackUrls: readonly string[];
}

/** The Cognito attribute that names an applicant's enterprises (`custom:enterprises` in tokens). */
export const ENTERPRISES_ATTRIBUTE = 'enterprises';

/**
 * The Cognito user pool for the global regions: one group per role (Cognito puts a user's groups
 * in `cognito:groups`) and the `enterprises` attribute (`custom:enterprises`, ID tokens). It
 * holds the users, so it lives in the stateful stack and is retained.
 *
 * Only officers decide who acts for which enterprise: the attribute stays mutable for
 * AdminUpdateUserAttributes (an officer's IAM call), but the app client users sign in through may
 * write nothing but their name, so no applicant can grant itself an enterprise.
 */
export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `${props.prefix}-users`,
      // Officers create every account: applicants are people of registered enterprises.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        [ENTERPRISES_ATTRIBUTE]: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }),
      },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Users acting as ${role}`,
      });
    }
    const oauth = props.oauthCallbackUrls.length > 0;
    this.client = this.userPool.addClient('ApiClient', {
      userPoolClientName: `${props.prefix}-api`,
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // Users may change their display name, nothing else: not their email (the sign-in alias an
      // officer verified) and above all not custom:enterprises.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
      ...(oauth
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
              callbackUrls: [...props.oauthCallbackUrls],
              logoutUrls: [...props.oauthCallbackUrls],
            },
          }
        : { disableOAuth: true }),
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus feature plan, billed per monthly active user; the pool has no self sign-up, requires TOTP MFA and a strong password policy, and only officers create users.',
    });
  }
}
