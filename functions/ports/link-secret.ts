/**
 * The link-secret port: the key review-link ids are hashed with before they are stored
 * (functions/usecases/reviews/link-ids.ts), or undefined for plain SHA-256. On AWS it is a Secrets
 * Manager secret (functions/adapters/secrets-manager/link-secret.ts); on the embedded runtime a
 * secret of the data folder. It is never rotated: every stored hash depends on it.
 */
export interface LinkSecret {
  value(): Promise<string | undefined>;
}
