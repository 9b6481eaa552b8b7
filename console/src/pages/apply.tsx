import { useState } from 'preact/hooks';
import { REFUSAL_NAMES } from '../../../domain/labels.ts';
import { createApplication, keys } from '../api/calls.ts';
import { ApiError } from '../api/client.ts';
import { invalidate } from '../api/query.ts';
import { fieldError, ProblemAlert, problemOf } from '../components/problem.tsx';
import { useT } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { S } from '../strings.ts';

/**
 * Applying (POST /applications) with an Idempotency-Key the console makes. The key belongs to one
 * request: a retry after no answer, a 5xx or IDEMPOTENCY_KEY_IN_PROGRESS sends the same key (so
 * the API creates one application however often the network fails), and it is kept in
 * sessionStorage so a reload mid-retry still reuses it. Once the API has answered for good (201,
 * or a 4xx such as NOT_ELIGIBLE, which it replays for that key for 24 hours), the next attempt is a
 * new request with a new key.
 */

interface Attempt {
  readonly key: string;
  readonly body: string;
}

const attemptKey = (enterpriseId: string) => `credit-repair.apply.${enterpriseId}`;
const AUTO_RETRIES = 3;

function savedAttempt(enterpriseId: string): Attempt | undefined {
  const saved = sessionStorage.getItem(attemptKey(enterpriseId));
  return saved === null ? undefined : (JSON.parse(saved) as Attempt);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the API has not answered this request for good, so the same key must be sent again. */
const answerPending = (error: unknown): error is ApiError =>
  error instanceof ApiError &&
  (error.status === 0 || error.status >= 500 || error.code === 'IDEMPOTENCY_KEY_IN_PROGRESS');

export function Refusal(props: { error: unknown }) {
  const { t } = useT();
  const problem = problemOf(props.error);
  if (problem?.code !== 'NOT_ELIGIBLE') return <ProblemAlert error={props.error} fields={['statement']} />;
  const earliest =
    typeof problem['earliestApplicationOn'] === 'string' ? problem['earliestApplicationOn'] : undefined;
  return (
    <div class="problem refusal" role="alert">
      <p>
        <strong>{t(S.refused)}</strong> <span class="code">({problem.code})</span>
      </p>
      {earliest !== undefined && (
        <p>
          {t(S.mayApplyFrom)}: <strong data-testid="earliest-application-on">{earliest}</strong>
        </p>
      )}
      <p>{t(S.refusalReasons)}:</p>
      <ul>
        {(problem.reasons ?? []).map((reason) => (
          <li key={reason.code} data-reason={reason.code}>
            {reason.code in REFUSAL_NAMES
              ? t(REFUSAL_NAMES[reason.code as keyof typeof REFUSAL_NAMES])
              : reason.code}
            {typeof reason['earliestApplicationOn'] === 'string' &&
              ` (${t(S.earliestApplication)}: ${reason['earliestApplicationOn']})`}
            {typeof reason['applicationId'] === 'string' && (
              <>
                {' '}
                <a href={href.application(reason['applicationId'])}>{reason['applicationId']}</a>
              </>
            )}
            {Array.isArray(reason['facts']) && ` (${reason['facts'].length})`}{' '}
            <span class="code">({reason.code})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ApplyForm(props: { enterpriseId: string }) {
  const { t } = useT();
  const { enterpriseId } = props;
  const [statement, setStatement] = useState(() => {
    const saved = savedAttempt(enterpriseId);
    return saved === undefined ? '' : (JSON.parse(saved.body) as { statement: string }).statement;
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const statementError = fieldError(error, 'statement');

  const submit = async () => {
    const body = { enterpriseId, statement };
    const text = JSON.stringify(body);
    const previous = savedAttempt(enterpriseId);
    const attempt: Attempt = previous?.body === text ? previous : { key: crypto.randomUUID(), body: text };
    sessionStorage.setItem(attemptKey(enterpriseId), JSON.stringify(attempt));
    setBusy(true);
    setError(undefined);
    try {
      for (let tries = 0; ; tries += 1) {
        try {
          const application = await createApplication(body, attempt.key);
          sessionStorage.removeItem(attemptKey(enterpriseId));
          await invalidate(keys.enterprise(enterpriseId), 'applications:');
          navigate(href.application(application.id));
          return;
        } catch (caught) {
          if (!answerPending(caught)) {
            sessionStorage.removeItem(attemptKey(enterpriseId));
            setError(caught);
            return;
          }
          if (tries >= AUTO_RETRIES) {
            setError(caught);
            return;
          }
          setRetrying(true);
          await sleep(1000 * (caught.retryAfter ?? 2 ** tries));
        }
      }
    } finally {
      setBusy(false);
      setRetrying(false);
    }
  };

  return (
    <form
      class="card"
      aria-labelledby="apply-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="apply-heading">{t(S.applyTitle)}</h2>
      <div class="field">
        <label for="statement">{t(S.statement)}</label>
        <span class="hint" id="statement-hint">
          {t(S.statementHint)}
        </span>
        <textarea
          id="statement"
          name="statement"
          rows={4}
          aria-describedby={statementError ? 'statement-hint statement-error' : 'statement-hint'}
          aria-invalid={statementError ? 'true' : undefined}
          value={statement}
          onInput={(event) => setStatement((event.target as HTMLTextAreaElement).value)}
        />
        {statementError && (
          <span class="field-error" id="statement-error">
            {statementError}
          </span>
        )}
      </div>
      {retrying && <p role="status">{t(S.retryingSameKey)}</p>}
      {error !== undefined && <Refusal error={error} />}
      <button type="submit" disabled={busy}>
        {busy ? t(S.applying) : t(S.apply)}
      </button>
    </form>
  );
}
