import { describe, expect, it } from 'vitest';
import { addDays, startOfLocalDay } from '../../../domain/dates.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { replay } from '../../../domain/lifecycle.ts';
import type { ApplicationEvent, ApplicationState } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import {
  allDutiesOn,
  applicationDutiesOn,
  dutyKey,
  nextApplicationDueOn,
} from '../../../domain/review-duties.ts';
import type { DocumentType, Party } from '../../../domain/vocabulary.ts';

const DAY0: LocalDate = '2026-05-04';
const day = (n: number): LocalDate => addDays(DAY0, n);
const at = (n: number): string =>
  new Date(Date.parse(startOfLocalDay(day(n))) + 10 * 3_600_000).toISOString();

const PARTIES: readonly Party[] = POLICY.review.parties.DISHONEST;
const DOCS: readonly DocumentType[] = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER'];

const submitted: ApplicationEvent = {
  type: 'SUBMITTED',
  at: at(0),
  applicationId: 'app-7',
  enterpriseId: '1234567890',
  fromTier: 'DISHONEST',
  parties: [...PARTIES],
  requiredDocuments: [...DOCS],
  policyId: POLICY.id,
  coveredCauseIds: ['TAX_ARREARS-t1'],
};
const uploaded: ApplicationEvent[] = DOCS.map((documentType) => ({
  type: 'EVIDENCE_UPLOADED',
  at: at(0),
  documentType,
  evidenceId: documentType,
}));
/** Review opened on day 0 (the evidence was complete at once). */
const reviewOpen: ApplicationEvent[] = [
  submitted,
  ...uploaded,
  { type: 'EVIDENCE_SUBMITTED', at: at(0) },
  { type: 'REVIEW_ROUND_OPENED', at: at(0), round: 1 },
];
const decide = (
  party: Party,
  decision: 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES',
  n = 1,
): ApplicationEvent => ({
  type: 'REVIEW_DECIDED',
  at: at(n),
  round: 1,
  party,
  decision,
  comment: 'noted',
});

const state = (events: ApplicationEvent[]): ApplicationState => {
  const s = replay(events);
  if (!s) throw new Error('no state');
  return s;
};

const kindsOn = (s: ApplicationState, n: number): string[] =>
  applicationDutiesOn(s, day(n), []).map((d) => `${d.kind}${d.party ? `:${d.party}` : ''}`);

describe('boundary days', () => {
  const awaiting = state([submitted]);
  const open = state(reviewOpen);

  // RULES.md §6.7: evidence through day 30, expired on day 31; reminder day 11; due by the end of
  // day 14; escalation day 15, the first overdue day; timeout day 60.
  it.each([
    { n: 30, expected: [] },
    { n: 31, expected: ['EVIDENCE_TIMEOUT'] },
    { n: 32, expected: ['EVIDENCE_TIMEOUT'] },
  ])('evidence on day $n → $expected', ({ n, expected }) => {
    expect(kindsOn(awaiting, n)).toEqual(expected);
  });

  it.each([
    { n: 10, expected: [] },
    { n: 11, expected: ['REVIEW_REMINDER:CUSTOMS', 'REVIEW_REMINDER:TAX'] },
    { n: 12, expected: ['REVIEW_REMINDER:CUSTOMS', 'REVIEW_REMINDER:TAX'] },
    { n: 13, expected: ['REVIEW_REMINDER:CUSTOMS', 'REVIEW_REMINDER:TAX'] },
  ])('reminder on day $n → $expected', ({ n, expected }) => {
    expect(kindsOn(open, n)).toEqual(expected);
  });

  it.each([
    // A reminder the sweep missed is still sent on the deadline's own day: the review is not late yet.
    { n: 14, expected: ['REVIEW_REMINDER:CUSTOMS', 'REVIEW_REMINDER:TAX'] },
    { n: 15, expected: ['REVIEW_ESCALATION:CUSTOMS', 'REVIEW_ESCALATION:TAX'] },
    { n: 16, expected: ['REVIEW_ESCALATION:CUSTOMS', 'REVIEW_ESCALATION:TAX'] },
  ])('escalation on day $n → $expected', ({ n, expected }) => {
    expect(kindsOn(open, n)).toEqual(expected);
  });

  it.each([
    { n: 59, expected: ['REVIEW_ESCALATION:CUSTOMS', 'REVIEW_ESCALATION:TAX'] },
    { n: 60, expected: ['REVIEW_TIMEOUT'] },
    { n: 61, expected: ['REVIEW_TIMEOUT'] },
  ])('timeout on day $n → $expected', ({ n, expected }) => {
    expect(kindsOn(open, n)).toEqual(expected);
  });
});

describe('applicationDutiesOn', () => {
  it('gives each duty a deterministic key, its round and the date it fell due', () => {
    const [reminder] = applicationDutiesOn(state(reviewOpen), day(12), []);
    expect(reminder).toEqual({
      key: 'REVIEW_REMINDER#app-7#R1#CUSTOMS',
      kind: 'REVIEW_REMINDER',
      applicationId: 'app-7',
      round: 1,
      party: 'CUSTOMS',
      dueOn: day(11),
    });
    const [timeout] = applicationDutiesOn(state([submitted]), day(40), []);
    expect(timeout).toEqual({
      key: 'EVIDENCE_TIMEOUT#app-7#R1',
      kind: 'EVIDENCE_TIMEOUT',
      applicationId: 'app-7',
      round: 1,
      dueOn: day(31),
    });
  });

  it('leaves out what the sweep has recorded as done', () => {
    const open = state(reviewOpen);
    const done = [dutyKey('REVIEW_REMINDER', 'app-7', 1, 'CUSTOMS')];
    expect(applicationDutiesOn(open, day(11), done).map((d) => d.key)).toEqual([
      'REVIEW_REMINDER#app-7#R1#TAX',
    ]);
    expect(applicationDutiesOn(open, day(11), new Set(allDutiesOn(open, day(11)).map((d) => d.key)))).toEqual(
      [],
    );
  });

  it('chases only the parties still to decide', () => {
    const s = state([...reviewOpen, decide('CUSTOMS', 'APPROVE')]);
    expect(kindsOn(s, 11)).toEqual(['REVIEW_REMINDER:TAX']);
    expect(kindsOn(s, 20)).toEqual(['REVIEW_ESCALATION:TAX']);
  });

  it('chases nobody once a rejection decided the round, nor before reviews open', () => {
    expect(kindsOn(state([...reviewOpen, decide('TAX', 'REJECT')]), 70)).toEqual([]);
    expect(kindsOn(state(reviewOpen.slice(0, -1)), 70)).toEqual([]);
  });

  it('has nothing to do for a final application', () => {
    const withdrawn = state([submitted, { type: 'WITHDRAWN', at: at(1) }]);
    expect(allDutiesOn(withdrawn, day(90))).toEqual([]);
    expect(nextApplicationDueOn(withdrawn, day(1))).toBeNull();
  });

  it('keys a new round apart from the last one', () => {
    const secondRound = state([
      ...reviewOpen,
      decide('CUSTOMS', 'REQUEST_CHANGES'),
      decide('TAX', 'APPROVE'),
      { type: 'ROUND_ENDED', at: at(1), round: 1, result: 'CHANGES_REQUESTED' },
      { type: 'EVIDENCE_SUBMITTED', at: at(2), response: 'fixed' },
      { type: 'REVIEW_ROUND_OPENED', at: at(2), round: 2 },
    ]);
    expect(applicationDutiesOn(secondRound, day(13), []).map((d) => d.key)).toEqual([
      'REVIEW_REMINDER#app-7#R2#CUSTOMS',
      'REVIEW_REMINDER#app-7#R2#TAX',
    ]);
  });
});

describe('nextApplicationDueOn', () => {
  it('is the evidence due date while evidence is awaited, then nothing until review opens', () => {
    const awaiting = state([submitted]);
    expect(nextApplicationDueOn(awaiting, day(0))).toBe(day(31));
    expect(nextApplicationDueOn(awaiting, day(30))).toBe(day(31));
    expect(nextApplicationDueOn(awaiting, day(31))).toBeNull();
    expect(nextApplicationDueOn(state(reviewOpen.slice(0, -1)), day(0))).toBeNull();
  });

  it.each([
    { n: 0, next: 11 },
    { n: 10, next: 11 },
    { n: 11, next: 15 },
    { n: 14, next: 15 },
    { n: 15, next: 60 },
    { n: 59, next: 60 },
    { n: 60, next: null },
  ])('for an open review on day $n is day $next', ({ n, next }) => {
    expect(nextApplicationDueOn(state(reviewOpen), day(n))).toBe(next === null ? null : day(next));
  });

  it('stops once the round is decided', () => {
    expect(nextApplicationDueOn(state([...reviewOpen, decide('TAX', 'REJECT')]), day(1))).toBeNull();
  });
});
