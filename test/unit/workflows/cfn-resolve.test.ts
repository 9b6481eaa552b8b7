import { describe, expect, it } from 'vitest';
import { resolveCfnValue } from '../../../workflows/cfn-resolve.ts';

const ctx = { partition: 'aws', region: 'ap-east-1', accountId: '123456789012' };

describe('resolveCfnValue', () => {
  it('joins pseudo parameters and literals into one string', () => {
    const value = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':lambda:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':function:x',
        ],
      ],
    };
    expect(resolveCfnValue(value, ctx)).toBe('arn:aws:lambda:ap-east-1:123456789012:function:x');
  });

  it('resolves GetAtt in either form through the context, inside nested structures', () => {
    const getAtt = (id: string, attr: string) => (id === 'Fn1' && attr === 'Arn' ? 'arn:fn1' : undefined);
    expect(
      resolveCfnValue(
        { a: [{ 'Fn::GetAtt': ['Fn1', 'Arn'] }, { 'Fn::GetAtt': 'Fn1.Arn' }, 3] },
        { ...ctx, getAtt },
      ),
    ).toEqual({
      a: ['arn:fn1', 'arn:fn1', 3],
    });
  });

  it('fails loudly on what it cannot resolve', () => {
    expect(() => resolveCfnValue({ Ref: 'SomeBucket' }, ctx)).toThrow(/cannot resolve Ref SomeBucket/);
    expect(() => resolveCfnValue({ 'Fn::GetAtt': ['Fn1', 'Arn'] }, ctx)).toThrow(/cannot resolve Fn::GetAtt/);
    expect(() => resolveCfnValue({ 'Fn::Sub': 'x' }, ctx)).toThrow(/unsupported intrinsic Fn::Sub/);
    expect(() => resolveCfnValue({ 'Fn::Join': ['', 'x'] }, ctx)).toThrow(/malformed Fn::Join/);
  });
});
