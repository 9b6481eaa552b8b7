import { localDateIn } from '../../domain/dates.ts';
import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { httpHandler } from '../http/handler.ts';
import { json } from '../http/response.ts';
import { requireEnterprise } from '../usecases/enterprises/records.ts';
import { publicCreditView } from '../usecases/enterprises/view.ts';
import { PublicCreditPathParams } from './schemas.ts';

/** GET /public/credit/{enterpriseId}: what anyone may know of an enterprise's credit status. */
export const getPublicCredit = httpHandler({
  auth: 'public',
  params: PublicCreditPathParams,
  handle: async ({ params }) => {
    const enterprise = await requireEnterprise(store(), params.enterpriseId);
    return json(200, publicCreditView(enterprise, localDateIn(clock().now())));
  },
});
