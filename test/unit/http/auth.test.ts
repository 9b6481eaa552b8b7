import { describe, expect, it } from 'vitest';
import {
  assertCanActFor,
  canActFor,
  claimsOf,
  parseListClaim,
  principalFromClaims,
} from '../../../functions/lib/auth.ts';
import { ProblemError } from '../../../functions/lib/http/problem.ts';
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
    expect(refusal).toBeInstanceOf(ProblemError);
    expect(refusal).toMatchObject({ status: 403, code: 'FORBIDDEN' });
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
