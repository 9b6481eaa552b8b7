import { useState } from 'preact/hooks';
import { DOCUMENT_NAMES } from '../../../domain/labels.ts';
import type { DocumentType } from '../../../domain/vocabulary.ts';
import { keys, requestUpload, submitEvidence } from '../api/calls.ts';
import { invalidate } from '../api/query.ts';
import type { Application } from '../api/types.ts';
import { Notice } from '../components/page.tsx';
import { fieldError, ProblemAlert, problemOf } from '../components/problem.tsx';
import { useT } from '../i18n.ts';
import { S } from '../strings.ts';

/**
 * Evidence straight from the browser to storage: the API hands out a presigned POST for the
 * declared file (POST /applications/{id}/evidence), the browser posts the file there as a
 * multipart form, and the API verifies what landed when the applicant submits.
 */

type UploadState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'uploading'; readonly fileName: string }
  | { readonly kind: 'uploaded'; readonly fileName: string; readonly size: number }
  | { readonly kind: 'failed'; readonly error: unknown };

class StorageError extends Error {}

async function upload(applicationId: string, documentType: DocumentType, file: File): Promise<void> {
  const ticket = await requestUpload(applicationId, {
    documentType,
    fileName: file.name,
    contentType: file.type || 'application/octet-stream',
    size: file.size,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append('file', file);
  const response = await fetch(ticket.upload.url, { method: 'POST', body: form, credentials: 'omit' });
  if (!response.ok) throw new StorageError(`storage answered ${response.status} ${response.statusText}`);
}

function DocumentUpload(props: { application: Application; documentType: DocumentType }) {
  const { t } = useT();
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const id = `upload-${props.documentType}`;
  const error = state.kind === 'failed' ? state.error : undefined;
  const message =
    fieldError(error, 'contentType') ?? fieldError(error, 'size') ?? fieldError(error, 'fileName');
  return (
    <li class="upload" data-document={props.documentType}>
      <label for={id}>
        <strong>{t(DOCUMENT_NAMES[props.documentType])}</strong>{' '}
        <span class="code">{props.documentType}</span>
      </label>
      <span class="hint" id={`${id}-hint`}>
        {t(S.chooseFile)}
      </span>
      <input
        id={id}
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        aria-describedby={`${id}-hint ${id}-state`}
        aria-invalid={error !== undefined ? 'true' : undefined}
        disabled={state.kind === 'uploading'}
        onChange={async (event) => {
          const input = event.target as HTMLInputElement;
          const file = input.files?.[0];
          if (file === undefined) return;
          setState({ kind: 'uploading', fileName: file.name });
          try {
            await upload(props.application.id, props.documentType, file);
            setState({ kind: 'uploaded', fileName: file.name, size: file.size });
            await invalidate(keys.application(props.application.id));
          } catch (caught) {
            setState({ kind: 'failed', error: caught });
          }
        }}
      />
      <span id={`${id}-state`} role="status" class="upload-state" data-state={state.kind}>
        {state.kind === 'uploading' && `${t(S.uploading)} ${state.fileName}`}
        {state.kind === 'uploaded' && `✓ ${t(S.uploaded)}: ${state.fileName} (${state.size} B)`}
      </span>
      {message !== undefined && <span class="field-error">{message}</span>}
      {error !== undefined && (
        <ProblemAlert error={error} fields={['contentType', 'size', 'fileName']}>
          {problemOf(error)?.code === 'CLIENT' && <span>{t(S.uploadFailed)}</span>}
        </ProblemAlert>
      )}
    </li>
  );
}

export function EvidenceUploads(props: { application: Application }) {
  const { t } = useT();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const { application } = props;
  const missing = problemOf(error)?.['missing'];
  return (
    <section aria-labelledby="upload-heading" class="card">
      <h2 id="upload-heading">{t(S.upload)}</h2>
      <ul class="plain uploads">
        {application.requiredDocuments.map((documentType) => (
          <DocumentUpload key={documentType} application={application} documentType={documentType} />
        ))}
      </ul>
      {error !== undefined && (
        <ProblemAlert error={error}>
          {Array.isArray(missing) && (
            <>
              <p>{t(S.missingDocuments)}:</p>
              <ul>
                {(missing as { documentType: DocumentType; problem: string }[]).map((m) => (
                  <li key={m.documentType}>
                    {t(DOCUMENT_NAMES[m.documentType])} <span class="code">({m.problem})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </ProblemAlert>
      )}
      {done && <Notice>{t(S.submitted)}</Notice>}
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await submitEvidence(application.id);
            setDone(true);
            await invalidate(
              keys.application(application.id),
              keys.enterprise(application.enterpriseId),
              'applications:',
            );
          } catch (caught) {
            setError(caught);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t(S.submit)}
      </button>
    </section>
  );
}
