import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { REFUSAL_NAMES } from '../../../domain/labels.ts';
import { ApiError, type Problem } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { S } from '../strings.ts';

/** The problem document of an error, or one that says what went wrong in the browser. */
export function problemOf(error: unknown): Problem | undefined {
  if (error === undefined || error === null) return undefined;
  if (error instanceof ApiError) return error.problem;
  return {
    title: 'Error',
    status: 0,
    code: 'CLIENT',
    detail: error instanceof Error ? error.message : String(error),
  };
}

/** The API's message for one field (`errors[].path`), if it named that field. */
export function fieldError(error: unknown, path: string): string | undefined {
  const problem = problemOf(error);
  return problem?.errors?.find((issue) => issue.path === path)?.message;
}

/** Messages the API gave for fields the form does not show (or for the whole body). */
function otherFieldErrors(problem: Problem, shown: readonly string[]): string[] {
  return (problem.errors ?? [])
    .filter((issue) => !shown.includes(issue.path))
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
}

const isRefusalCode = (code: string): code is keyof typeof REFUSAL_NAMES => code in REFUSAL_NAMES;

/**
 * A failed request as the API explained it: title, detail and code; every rule reason (with the
 * shared bilingual name when it is a refusal code) and any field issue the form does not show.
 */
export function ProblemAlert(props: {
  error: unknown;
  fields?: readonly string[];
  children?: ComponentChildren;
}) {
  const { t } = useT();
  const problem = problemOf(props.error);
  if (problem === undefined) return null;
  const others = otherFieldErrors(problem, props.fields ?? []);
  const network = problem.code === 'NETWORK';
  return (
    <div class="problem" role="alert">
      <p>
        <strong>{network ? t(S.networkError) : problem.title}</strong>
        {!network && problem.detail !== undefined && problem.detail !== problem.title
          ? ` — ${problem.detail}`
          : ''}{' '}
        <span class="code">
          ({t(S.code)} {problem.code})
        </span>
      </p>
      {problem.reasons !== undefined && problem.reasons.length > 0 && (
        <ul>
          {problem.reasons.map((reason, index) => (
            <li key={index}>
              {isRefusalCode(reason.code) ? t(REFUSAL_NAMES[reason.code]) : reason.code}
              {reason.detail !== undefined ? ` — ${reason.detail}` : ''}{' '}
              <span class="code">({reason.code})</span>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <ul>
          {others.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
      {props.children}
    </div>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement>;

/** A labelled input whose API error (if any) is shown under it and tied to it for assistive tech. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  input?: InputProps;
  children?: ComponentChildren;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.children ?? (
        <input
          id={props.id}
          name={props.id}
          {...props.input}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
        />
      )}
      {props.error && (
        <span class="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}
