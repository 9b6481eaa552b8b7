import { useState } from 'preact/hooks';
import { APPLICATION_STATUS_NAMES } from '../../../domain/labels.ts';
import { APPLICATION_STATUSES } from '../../../domain/vocabulary.ts';
import { keys, listApplications } from '../api/calls.ts';
import { useQuery } from '../api/query.ts';
import type { ApplicationSummary } from '../api/types.ts';
import { StatusBadge } from '../components/badges.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { formatInstant, useT } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { S } from '../strings.ts';

/** One row; the list answer carries the running deadline and whether it has passed. */
function Row(props: { summary: ApplicationSummary }) {
  const { t, lang } = useT();
  const a = props.summary;
  return (
    <tr data-application={a.id}>
      <td>
        <a href={href.application(a.id)}>{a.id}</a>
      </td>
      <td>
        <a href={href.enterprise(a.enterpriseId)}>{a.enterpriseId}</a>
      </td>
      <td>
        <StatusBadge status={a.status} />
      </td>
      <td>{a.round}</td>
      <td>{formatInstant(a.submittedAt, lang)}</td>
      <td>
        {a.deadline ? (
          <>
            <span class="muted">
              {a.status === 'AWAITING_EVIDENCE' ? t(S.evidenceDeadline) : t(S.reviewDeadline)}:{' '}
            </span>
            {a.deadline}
            {a.overdue && <span class="badge bad overdue"> {t(S.overdue)}</span>}
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
    </tr>
  );
}

export function ApplicationsPage(props: { query: URLSearchParams }) {
  const { t } = useT();
  const status = props.query.get('status') ?? '';
  const enterpriseId = props.query.get('enterpriseId') ?? '';
  const nextToken = props.query.get('nextToken') ?? undefined;
  const [chosen, setChosen] = useState(status);
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (enterpriseId) query.set('enterpriseId', enterpriseId);
  query.set('limit', '20');
  if (nextToken) query.set('nextToken', nextToken);
  const list = useQuery(keys.applications(query.toString()), () => listApplications(query), {
    refetchMs: 10_000,
  });
  return (
    <Page title={t(S.applicationsTitle)}>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(href.applications({ status: chosen, enterpriseId }));
        }}
      >
        <div class="field">
          <label for="status-filter">{t(S.status)}</label>
          <select
            id="status-filter"
            value={chosen}
            onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t(S.allStatuses)}</option>
            {APPLICATION_STATUSES.map((code) => (
              <option key={code} value={code}>
                {t(APPLICATION_STATUS_NAMES[code])}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t(S.filter)}</button>
      </form>
      {list.loading && <Loading />}
      <ProblemAlert error={list.error} />
      {list.data && (
        <>
          {list.data.items.length === 0 ? (
            <p class="muted">{t(S.noApplications)}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t(S.application)}</th>
                    <th scope="col">{t(S.enterpriseOf)}</th>
                    <th scope="col">{t(S.status)}</th>
                    <th scope="col">{t(S.round)}</th>
                    <th scope="col">{t(S.submittedAt)}</th>
                    <th scope="col">{t(S.deadline)}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((item) => (
                    <Row key={item.id} summary={item} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="button-row">
            {nextToken && <a href={href.applications({ status, enterpriseId })}>{t(S.firstPage)}</a>}
            {list.data.nextToken && (
              <a href={href.applications({ status, enterpriseId, nextToken: list.data.nextToken })}>
                {t(S.nextPage)}
              </a>
            )}
          </p>
        </>
      )}
    </Page>
  );
}
