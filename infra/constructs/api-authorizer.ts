import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Construct } from 'constructs';
import type { UserDirectory } from './user-directory.ts';

export interface ApiAuthorizerProps {
  /** An existing OIDC issuer and the audiences its tokens carry (the China profile's only choice). */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  /** The stateful stack's Cognito pool, used when no issuer is given. */
  readonly directory?: UserDirectory;
}

/**
 * The HTTP API's JWT authorizer. With an issuer from context it trusts that issuer, whose tokens
 * must carry the `role` claim (and `enterprises` for applicants). Otherwise it trusts the Cognito
 * pool of the stateful stack (infra/constructs/user-directory.ts) and its one app client.
 */
export class ApiAuthorizer extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: ApiAuthorizerProps) {
    super(scope, id);
    if (props.jwt !== undefined) {
      this.authorizer = new HttpJwtAuthorizer('Jwt', props.jwt.issuer, {
        jwtAudience: [...props.jwt.audience],
      });
      return;
    }
    if (props.directory === undefined) throw new Error('the authorizer needs an OIDC issuer or a user pool');
    this.authorizer = new HttpUserPoolAuthorizer('Cognito', props.directory.userPool, {
      userPoolClients: [props.directory.client],
    });
  }
}
