import { useState } from 'preact/hooks';
import { FACT_TYPE_NAMES } from '../../../domain/labels.ts';
import { FACT_TYPES, type FactType } from '../../../domain/vocabulary.ts';
import { keys, recordFact, recordPayment, voidFact } from '../api/calls.ts';
import { invalidate } from '../api/query.ts';
import type { Fact } from '../api/types.ts';
import { Notice } from '../components/page.tsx';
import { Field, fieldError, ProblemAlert } from '../components/problem.tsx';
import { useT } from '../i18n.ts';
import { S } from '../strings.ts';

/**
 * The officer's changes to an enterprise: record a fact, record a payment, void a fact. The forms
 * leave validation to the API (no browser-side rules to drift from it): its problem document's
 * `errors` appear at the fields they name, anything else above the button.
 */

/** The fields each fact type takes (CONTRACT.md / RULES.md §2); the API refuses any other. */
const FIELDS_OF: Readonly<Record<FactType, readonly ('amount' | 'imposedOn' | 'dueOn' | 'occurredOn')[]>> = {
  FINE: ['amount', 'imposedOn', 'dueOn'],
  TAX_ASSESSMENT: ['amount', 'dueOn'],
  BRIBERY: ['occurredOn'],
  OBSTRUCTION: ['occurredOn'],
  MAJOR_INFRACTION: ['occurredOn'],
};

async function refresh(enterpriseId: string): Promise<void> {
  await invalidate(keys.enterprise(enterpriseId), 'enterprises:');
}

export function RecordFactForm(props: { enterpriseId: string }) {
  const { t } = useT();
  const [type, setType] = useState<FactType>('TAX_ASSESSMENT');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const fields = FIELDS_OF[type];
  const change = (field: string) => (event: Event) =>
    setValues({ ...values, [field]: (event.target as HTMLInputElement).value });
  const labels = { amount: S.amount, imposedOn: S.imposedOn, dueOn: S.dueOn, occurredOn: S.occurredOn };

  const submit = async () => {
    setBusy(true);
    setDone(false);
    setError(undefined);
    const body: Record<string, unknown> = { type };
    for (const field of fields) if ((values[field] ?? '') !== '') body[field] = values[field];
    try {
      await recordFact(props.enterpriseId, body);
      setValues({});
      setDone(true);
      await refresh(props.enterpriseId);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card"
      aria-labelledby="record-fact-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="record-fact-heading">{t(S.recordFact)}</h2>
      <Field id="fact-type" label={t(S.factType)} error={fieldError(error, 'type')}>
        <select
          id="fact-type"
          name="type"
          value={type}
          onChange={(event) => {
            setType((event.target as HTMLSelectElement).value as FactType);
            setError(undefined);
          }}
        >
          {FACT_TYPES.map((code) => (
            <option key={code} value={code}>
              {t(FACT_TYPE_NAMES[code])}
            </option>
          ))}
        </select>
      </Field>
      <div class="field-row">
        {fields.map((field) => (
          <Field
            key={field}
            id={`fact-${field}`}
            label={t(labels[field])}
            error={fieldError(error, field)}
            input={
              field === 'amount'
                ? { type: 'text', inputMode: 'decimal', value: values[field] ?? '', onInput: change(field) }
                : { type: 'date', value: values[field] ?? '', onInput: change(field) }
            }
          />
        ))}
      </div>
      {error !== undefined && <ProblemAlert error={error} fields={['type', ...fields]} />}
      {done && <Notice>{t(S.factRecorded)}</Notice>}
      <button type="submit" disabled={busy}>
        {t(S.recordFact)}
      </button>
    </form>
  );
}

export function PaymentForm(props: { enterpriseId: string; fact: Fact; onDone: () => void }) {
  const { t } = useT();
  const [paidOn, setPaidOn] = useState('');
  const [error, setError] = useState<unknown>();
  const id = `paid-on-${props.fact.id}`;
  return (
    <form
      class="inline-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setError(undefined);
        try {
          await recordPayment(props.enterpriseId, props.fact.id, paidOn);
          await refresh(props.enterpriseId);
          props.onDone();
        } catch (caught) {
          setError(caught);
        }
      }}
    >
      <Field
        id={id}
        label={t(S.paidOn)}
        error={fieldError(error, 'paidOn')}
        input={{
          type: 'date',
          value: paidOn,
          onInput: (e) => setPaidOn((e.target as HTMLInputElement).value),
        }}
      />
      {error !== undefined && <ProblemAlert error={error} fields={['paidOn']} />}
      <button type="submit">{t(S.recordPayment)}</button>
      <button type="button" class="secondary" onClick={props.onDone}>
        {t(S.cancel)}
      </button>
    </form>
  );
}

export function VoidForm(props: { enterpriseId: string; fact: Fact; onDone: () => void }) {
  const { t } = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const id = `void-reason-${props.fact.id}`;
  return (
    <form
      class="inline-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setError(undefined);
        try {
          await voidFact(props.enterpriseId, props.fact.id, reason);
          await refresh(props.enterpriseId);
          props.onDone();
        } catch (caught) {
          setError(caught);
        }
      }}
    >
      <Field
        id={id}
        label={t(S.voidReason)}
        error={fieldError(error, 'reason')}
        input={{ value: reason, onInput: (e) => setReason((e.target as HTMLInputElement).value) }}
      />
      {error !== undefined && <ProblemAlert error={error} fields={['reason']} />}
      <button type="submit" class="danger">
        {t(S.confirmVoid)}
      </button>
      <button type="button" class="secondary" onClick={props.onDone}>
        {t(S.cancel)}
      </button>
    </form>
  );
}
