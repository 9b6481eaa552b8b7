import { useState } from 'preact/hooks';
import {
  APPLICATION_EVENT_NAMES,
  DOCUMENT_NAMES,
  OUTCOME_REASON_NAMES,
  PARTY_NAMES,
  tierName,
} from '../../../domain/labels.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { getApplication, getWorkflow, keys, withdrawApplication } from '../api/calls.ts';
import { invalidate, useQuery } from '../api/query.ts';
import type { Application, TimelineEntry } from '../api/types.ts';
import { Deadline, ReviewStatusBadge, StatusBadge } from '../components/badges.tsx';
import { Loading, Notice, Page } from '../components/page.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { Timeline } from '../components/timeline.tsx';
import { WorkflowDiagram } from '../components/workflow-diagram.tsx';
import { capitalized, formatInstant, useT, type Bilingual } from '../i18n.ts';
import { href } from '../router.ts';
import type { Session } from '../session.ts';
import { S } from '../strings.ts';
import { useToday } from '../today.ts';
import { EvidenceUploads } from './evidence.tsx';

const eventName = (type: string, t: (b: Bilingual) => string): string =>
  type in APPLICATION_EVENT_NAMES
    ? t(APPLICATION_EVENT_NAMES[type as keyof typeof APPLICATION_EVENT_NAMES])
    : type;

function detailText(entry: TimelineEntry): string | undefined {
  if (entry.detail === undefined) return undefined;
  return Object.entries(entry.detail)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ');
}

function Withdraw(props: { application: Application }) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  if (done) return <Notice>{t(S.withdrawn)}</Notice>;
  return (
    <section class="card danger-zone" aria-labelledby="withdraw-heading">
      <h2 id="withdraw-heading">{t(S.withdraw)}</h2>
      <p>{t(S.withdrawQuestion)}</p>
      <ProblemAlert error={error} />
      {asking ? (
        <div class="button-row">
          <button
            type="button"
            class="danger"
            onClick={async () => {
              try {
                await withdrawApplication(props.application.id);
                setDone(true);
                await invalidate(
                  keys.application(props.application.id),
                  keys.enterprise(props.application.enterpriseId),
                  'applications:',
                );
              } catch (caught) {
                setError(caught);
              }
            }}
          >
            {t(S.confirmWithdraw)}
          </button>
          <button type="button" class="secondary" onClick={() => setAsking(false)}>
            {t(S.cancel)}
          </button>
        </div>
      ) : (
        <button type="button" class="secondary" onClick={() => setAsking(true)}>
          {t(S.withdraw)}
        </button>
      )}
    </section>
  );
}

export function ApplicationPage(props: { id: string; session: Session }) {
  const { t, lang } = useT();
  const today = useToday();
  // An open application moves on its own (workflow, reviewers): keep it fresh while it is shown.
  const query = useQuery(keys.application(props.id), () => getApplication(props.id), { refetchMs: 3000 });
  const a = query.data;
  // The execution runs on after the application is decided (the listing change, the outcome emails).
  const workflow = useQuery(keys.workflow(props.id), () => getWorkflow(props.id), {
    refetchMs: 3000,
  });
  const applicant = props.session.principal.role === 'applicant';
  const open = a !== undefined && !isFinalStatus(a.status);
  return (
    <Page title={`${t(S.application)} ${props.id}`}>
      {query.loading && <Loading />}
      <ProblemAlert error={query.error} />
      {a && (
        <>
          <dl class="facts-grid">
            <dt>{t(S.enterpriseOf)}</dt>
            <dd>
              <a href={href.enterprise(a.enterpriseId)}>{a.enterpriseId}</a>
            </dd>
            <dt>{t(S.status)}</dt>
            <dd data-testid="application-status">
              <StatusBadge status={a.status} /> <span class="code">{a.status}</span>
            </dd>
            <dt>{t(S.round)}</dt>
            <dd>{a.round}</dd>
            <dt>{t(S.fromTier)}</dt>
            <dd>{t(tierName(a.fromTier))}</dd>
            <dt>{t(S.targetTier)}</dt>
            <dd>{t(tierName(a.targetTier))}</dd>
            <dt>{t(S.submittedAt)}</dt>
            <dd>{formatInstant(a.submittedAt, lang)}</dd>
            <dt>{t(S.evidenceDeadline)}</dt>
            <dd>
              <Deadline on={a.evidenceDeadline} today={today} open={a.status === 'AWAITING_EVIDENCE'} />
            </dd>
            <dt>{t(S.policy)}</dt>
            <dd class="code">{a.policyId}</dd>
            {a.outcome && (
              <>
                <dt>{t(S.outcome)}</dt>
                <dd data-testid="outcome">
                  <StatusBadge status={a.outcome.status} />{' '}
                  {capitalized(t(OUTCOME_REASON_NAMES[a.outcome.reason]))} ·{' '}
                  {formatInstant(a.outcome.decidedAt, lang)}
                </dd>
              </>
            )}
          </dl>

          {applicant && a.status === 'AWAITING_EVIDENCE' && <EvidenceUploads application={a} />}

          <section aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">{t(S.evidence)}</h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t(S.requiredDocuments)}</th>
                    <th scope="col">{t(S.fileName)}</th>
                    <th scope="col">{t(S.size)}</th>
                    <th scope="col">{t(S.round)}</th>
                    <th scope="col">{t(S.status)}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.requiredDocuments.map((documentType) => {
                    const latest = a.evidence
                      .filter((e) => e.documentType === documentType)
                      .sort((x, y) => (x.requestedAt < y.requestedAt ? 1 : -1))[0];
                    return (
                      <tr key={documentType} data-evidence={documentType}>
                        <td>{t(DOCUMENT_NAMES[documentType])}</td>
                        <td>{latest?.fileName ?? '—'}</td>
                        <td>{latest?.size ?? '—'}</td>
                        <td>{latest?.round ?? '—'}</td>
                        <td data-status={latest?.status ?? 'NONE'}>
                          {latest === undefined
                            ? t(S.notUploaded)
                            : latest.status === 'UPLOADED'
                              ? t(S.evidenceStatusUploaded)
                              : t(S.evidenceStatusPending)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">{t(S.reviews)}</h2>
            {a.reviews.length === 0 ? (
              <p class="muted">{t(S.none)}</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t(S.party)}</th>
                      <th scope="col">{t(S.status)}</th>
                      <th scope="col">{t(S.reviewDeadline)}</th>
                      <th scope="col">{t(S.decidedAt)}</th>
                      <th scope="col">{t(S.comment)}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.reviews.map((r) => (
                      <tr key={r.party} data-review={r.party}>
                        <td>{t(PARTY_NAMES[r.party])}</td>
                        <td>
                          <ReviewStatusBadge status={r.status} />
                        </td>
                        <td>
                          <Deadline on={r.deadline} today={today} open={r.status === 'PENDING'} />
                        </td>
                        <td>{r.decidedAt ? formatInstant(r.decidedAt, lang) : '—'}</td>
                        <td>{r.comment ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          {applicant && open && <Withdraw application={a} />}

          {workflow.data && <WorkflowDiagram flow={workflow.data} />}
          <ProblemAlert error={workflow.error} />

          <Timeline
            items={a.timeline.map((entry) => ({
              at: entry.at,
              what: eventName(entry.type, t),
              who: entry.actor,
              ...(detailText(entry) === undefined ? {} : { detail: detailText(entry) as string }),
            }))}
          />
        </>
      )}
    </Page>
  );
}
