import { canActFor, type Principal } from '../../auth/principal.ts';
import { ApplicationNotFoundError } from './errors.ts';

/**
 * An application of an enterprise the principal does not act for is, to that principal, an id
 * that does not exist: the same 404 with the same body as an unknown id, so probing ids reveals
 * nothing (which ids exist, which enterprise applied).
 */
export function assertOwnApplication(
  principal: Principal,
  application: { readonly id: string; readonly enterpriseId: string },
): void {
  if (!canActFor(principal, application.enterpriseId)) throw new ApplicationNotFoundError(application.id);
}
