import { describe, expect, it } from 'vitest';
import { assertCanActFor, canActFor, ForbiddenError } from '../../../functions/auth/principal.ts';
import { claimsOf, parseListClaim, principalFromClaims } from '../../../functions/auth/claims.ts';
import { toProblem } from '../../../functions/http/middleware.ts';
import { apiGatewayClaims } from '../../../local/gateway/event.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

describe('parseListClaim', () => {
  it.each([
    ['API Gateway rendering', '[ENT0000001 ENT0000002]', ['ENT0000001', 'ENT0000002']],
    ['a real array', ['ENT0000001', 'ENT0000002'], ['ENT0000001', 'ENT0000002']],
    ['comma separated', 'ENT0000001, ENT0000002', ['ENT0000001', 'ENT0000002']],
    ['a JSON array as text', '["ENT0000001","ENT0000002"]', ['ENT0000001', 'ENT0000002']],
    ['one value', 'ENT0000001', ['ENT0000001']],
    ['an empty rendering', '[]', []],
    ['absent', undefined, []],
    ['a number', 42, []],
  ])('%s', (_label, value, expected) => {
    expect(parseListClaim(value)).toEqual(expected);
  });

  it('reads back what the gateway renders for an array claim', () => {
    const rendered = apiGatewayClaims({
      enterprises: ['ENT0000001', 'ENT0000002'],
      exp: 1700000000,
      admin: false,
    });
    expect(rendered).toEqual({ enterprises: '[ENT0000001 ENT0000002]', exp: '1700000000', admin: 'false' });
    expect(parseListClaim(rendered.enterprises)).toEqual(['ENT0000001', 'ENT0000002']);
  });
});

describe('principalFromClaims', () => {
  it('an officer acts for every enterprise', () => {
    const officer = principalFromClaims({ sub: 'o-1', role: 'officer', enterprises: '[X]' });
    expect(officer).toEqual({ subject: 'o-1', role: 'officer', enterprises: [] });
    expect(officer && canActFor(officer, 'ANY0000001')).toBe(true);
  });

  it('an applicant acts for the enterprises its token names, deduplicated', () => {
    const applicant = principalFromClaims({
      sub: 'a-1',
      'custom:role': 'applicant',
      enterprises: '[ENT0000001 ENT0000001 ENT0000002]',
    });
    expect(applicant).toEqual({
      subject: 'a-1',
      role: 'applicant',
      enterprises: ['ENT0000001', 'ENT0000002'],
    });
    if (applicant === undefined) return;
    expect(() => assertCanActFor(applicant, 'ENT0000002')).not.toThrow();
    const refusal = (() => {
      try {
        assertCanActFor(applicant, 'ENT0000003');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect(toProblem(refusal).problem).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      title: 'Not allowed',
    });
  });

  it.each([
    ['no subject', { role: 'officer' }],
    ['an empty subject', { sub: '', role: 'officer' }],
    ['no role', { sub: 'x' }],
    ['an unknown role', { sub: 'x', role: 'admin' }],
  ])('grants nothing with %s', (_label, claims) => {
    expect(principalFromClaims(claims)).toBeUndefined();
  });
});

/**
 * Claims exactly as an HTTP API JWT authorizer passes a Cognito ID token's: every value a string,
 * `cognito:groups` as `[a b]` (or a bare name), the custom attribute as the text it holds.
 */
const cognitoIdTokenClaims = (extra: Record<string, string>) => ({
  sub: '5f1c2e0a-7b7d-4c8e-9a51-0d2b5c4e3f10',
  iss: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_AbCdEfGhI',
  aud: '4k2m6n8p0q1r3s5t7u9v1w3x5y',
  token_use: 'id',
  auth_time: '1767225600',
  exp: '1767229200',
  iat: '1767225600',
  'cognito:username': '5f1c2e0a-7b7d-4c8e-9a51-0d2b5c4e3f10',
  email: 'someone@example.cn',
  email_verified: 'true',
  ...extra,
});

describe('principalFromClaims with the Cognito pool of the deployment', () => {
  it.each([
    ['[officer]', 'officer'],
    ['officer', 'officer'],
    ['[applicant]', 'applicant'],
    ['[applicant staff]', 'applicant'],
  ] as const)('takes the role from cognito:groups %j', (groups, role) => {
    const principal = principalFromClaims(cognitoIdTokenClaims({ 'cognito:groups': groups }));
    expect(principal?.role).toBe(role);
    expect(principal?.subject).toBe('5f1c2e0a-7b7d-4c8e-9a51-0d2b5c4e3f10');
  });

  it('reads the enterprises of an applicant from custom:enterprises, as the deploy guide sets them', () => {
    const principal = principalFromClaims(
      cognitoIdTokenClaims({
        'cognito:groups': '[applicant]',
        'custom:enterprises': '0123456789,ABCDE12345',
      }),
    );
    expect(principal).toEqual({
      subject: '5f1c2e0a-7b7d-4c8e-9a51-0d2b5c4e3f10',
      role: 'applicant',
      enterprises: ['0123456789', 'ABCDE12345'],
    });
    expect(principal && canActFor(principal, 'ABCDE12345')).toBe(true);
    expect(principal && canActFor(principal, '9999999999')).toBe(false);
  });

  it('reads back what the gateway renders for the groups array', () => {
    const rendered = apiGatewayClaims({
      sub: 'u-1',
      'cognito:groups': ['applicant'],
      'custom:enterprises': '0123456789',
    });
    expect(rendered['cognito:groups']).toBe('[applicant]');
    expect(principalFromClaims(rendered)).toEqual({
      subject: 'u-1',
      role: 'applicant',
      enterprises: ['0123456789'],
    });
  });

  it.each([
    ['both groups', { 'cognito:groups': '[officer applicant]' }],
    ['no group', {}],
    ['only other groups', { 'cognito:groups': '[auditors]' }],
    ['an empty rendering', { 'cognito:groups': '[]' }],
    ['a role claim that contradicts the group', { 'cognito:groups': '[applicant]', role: 'officer' }],
    ['a role claim that is no role', { 'cognito:groups': '[officer]', 'custom:role': 'admin' }],
  ])('grants nothing with %s', (_label, extra: Record<string, string>) => {
    expect(principalFromClaims(cognitoIdTokenClaims(extra))).toBeUndefined();
  });

  it('accepts a role claim that agrees with the group', () => {
    expect(
      principalFromClaims(cognitoIdTokenClaims({ 'cognito:groups': '[officer]', role: 'officer' }))?.role,
    ).toBe('officer');
  });

  it('gives an officer no enterprise list even when the token carries one', () => {
    expect(
      principalFromClaims(
        cognitoIdTokenClaims({ 'cognito:groups': 'officer', 'custom:enterprises': '0123456789' }),
      ),
    ).toMatchObject({ role: 'officer', enterprises: [] });
  });
});

describe('claimsOf', () => {
  const event = (requestContext: object) => ({ requestContext }) as unknown as APIGatewayProxyEventV2;

  it('reads the JWT authorizer claims, and nothing when there is no authorizer', () => {
    expect(claimsOf(event({ authorizer: { jwt: { claims: { sub: 'x' }, scopes: null } } }))).toEqual({
      sub: 'x',
    });
    expect(claimsOf(event({}))).toBeUndefined();
    expect(claimsOf(event({ authorizer: { lambda: {} } }))).toBeUndefined();
  });
});
