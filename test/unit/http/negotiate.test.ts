import { describe, expect, it } from 'vitest';
import { negotiate, parseAccept, qualityOf } from '../../../functions/http/negotiate.ts';

const OFFERS = ['application/json', 'text/html'] as const;
const pick = (accept: string | undefined) => negotiate(accept, [...OFFERS] as [string, ...string[]]);

describe('Accept negotiation', () => {
  it('answers the default without an Accept header, for */* and for JSON', () => {
    expect(pick(undefined)).toBe('application/json');
    expect(pick('')).toBe('application/json');
    expect(pick('*/*')).toBe('application/json');
    expect(pick('application/json')).toBe('application/json');
    expect(pick('application/*')).toBe('application/json');
  });

  it('answers HTML when the client weights it highest, as browsers do', () => {
    expect(pick('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('text/html');
    expect(pick('text/html')).toBe('text/html');
    expect(pick('text/*')).toBe('text/html');
    expect(pick('application/json;q=0.5, text/html')).toBe('text/html');
    expect(pick('TEXT/HTML; charset=utf-8')).toBe('text/html');
  });

  it('keeps the default on a tie and when HTML weighs less or nothing', () => {
    expect(pick('text/html, application/json')).toBe('application/json');
    expect(pick('text/html;q=0.5, application/json')).toBe('application/json');
    expect(pick('text/html;q=0, */*')).toBe('application/json');
    // The most specific range wins: text/html at 0 is refused although */* admits everything.
    expect(qualityOf(parseAccept('text/html;q=0, */*'), 'text/html')).toBe(0);
  });

  it('answers the default (never 406) when nothing offered is acceptable', () => {
    expect(pick('image/png')).toBe('application/json');
    expect(pick('application/json;q=0, text/html;q=0')).toBe('application/json');
  });

  it('ignores malformed ranges and weights rather than trusting them', () => {
    expect(pick('text/html;q=2')).toBe('application/json');
    expect(pick('text/html;q=abc')).toBe('application/json');
    expect(pick('text/html;q=0.8888')).toBe('application/json');
    expect(pick('html')).toBe('application/json');
    expect(pick('*/html')).toBe('application/json');
    expect(pick('text/html;q=0.001')).toBe('text/html');
    expect(parseAccept('text/html;q=1.000, , application/json;q=0.5')).toEqual([
      { type: 'text', subtype: 'html', q: 1 },
      { type: 'application', subtype: 'json', q: 0.5 },
    ]);
  });
});
