import { PARTY_NAMES } from '../../../domain/labels.ts';
import { getReviewers, keys } from '../api/calls.ts';
import { useQuery } from '../api/query.ts';
import { Loading, Page } from '../components/page.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { formatInstant, useT } from '../i18n.ts';
import { S } from '../strings.ts';

export function ReviewersPage() {
  const { t, lang } = useT();
  const directory = useQuery(keys.reviewers(), getReviewers);
  return (
    <Page title={t(S.reviewersTitle)}>
      {directory.loading && <Loading />}
      <ProblemAlert error={directory.error} />
      {directory.data &&
        (directory.data.items.length === 0 ? (
          <p class="muted">{t(S.noReviewers)}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t(S.party)}</th>
                  <th scope="col">{t(S.reviewer)}</th>
                  <th scope="col">{t(S.email)}</th>
                  <th scope="col">{t(S.escalationEmail)}</th>
                  <th scope="col">{t(S.updatedAt)}</th>
                </tr>
              </thead>
              <tbody>
                {directory.data.items.map((r) => (
                  <tr key={r.party}>
                    <td>{t(PARTY_NAMES[r.party])}</td>
                    <td>{r.name}</td>
                    <td>{r.email}</td>
                    <td>{r.escalationEmail}</td>
                    <td>{r.updatedAt ? formatInstant(r.updatedAt, lang) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </Page>
  );
}
