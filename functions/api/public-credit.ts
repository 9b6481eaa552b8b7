import { today } from '../lib/clock.ts';
import { publicCreditView, requireEnterprise } from '../lib/enterprises/index.ts';
import { httpHandler } from '../lib/http/handler.ts';
import { json } from '../lib/http/response.ts';
import { storeFromEnv } from '../lib/store/index.ts';
import { PublicCreditPathParams } from './schemas.ts';

/** GET /public/credit/{enterpriseId}: what anyone may know of an enterprise's credit status. */
export const getPublicCredit = httpHandler({
  auth: 'public',
  params: PublicCreditPathParams,
  handle: async ({ params }) => {
    const enterprise = await requireEnterprise(storeFromEnv(), params.enterpriseId);
    return json(200, publicCreditView(enterprise, today()));
  },
});
