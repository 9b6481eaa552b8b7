import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../functions/lib/auth.ts';

export interface ApiAuthorizerProps {
  /** An existing OIDC issuer and the audiences its tokens carry; a Cognito user pool when absent. */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  readonly prefix: string;
}

/**
 * The HTTP API's JWT authorizer. With an issuer from context it trusts that issuer, whose tokens
 * must carry the `role` claim (and `enterprises` for applicants). Without one it creates a Cognito
 * user pool with one group per role: Cognito puts a user's groups in the `cognito:groups` claim
 * and the `enterprises` attribute in `custom:enterprises` (ID tokens).
 */
export class ApiAuthorizer extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;
  readonly userPool?: cognito.UserPool;
  readonly userPoolClient?: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: ApiAuthorizerProps) {
    super(scope, id);
    if (props.jwt !== undefined) {
      this.authorizer = new HttpJwtAuthorizer('Jwt', props.jwt.issuer, {
        jwtAudience: [...props.jwt.audience],
      });
      return;
    }

    const userPool = new cognito.UserPool(this, 'Users', {
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
      customAttributes: { enterprises: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }) },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: userPool.userPoolId,
        groupName: role,
        description: `Users acting as ${role}`,
      });
    }
    const client = userPool.addClient('ApiClient', {
      userPoolClientName: `${props.prefix}-api`,
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus feature plan, billed per monthly active user; the pool has no self sign-up, requires TOTP MFA and a strong password policy, and only officers create users.',
    });

    this.userPool = userPool;
    this.userPoolClient = client;
    this.authorizer = new HttpUserPoolAuthorizer('Cognito', userPool, { userPoolClients: [client] });
  }
}
