import { route } from '../../http/route.ts';
import { PublicCreditPathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `GET /public/credit/{enterpriseId}`. */
export const getPublicCreditRoute = route('getPublicCredit', {
  method: 'GET',
  path: '/public/credit/{enterpriseId}',
  module: 'functions/api/public-credit.ts',
  auth: 'public',
  tag: 'public',
  summary: "An enterprise's public credit status",
  description:
    'JSON by default; a bilingual (zh, en) page for a client whose Accept weights text/html above ' +
    'application/json (a browser). An Accept that matches neither, or `*/*`, gets JSON (never 406). ' +
    'Every answer carries `Vary: Accept`.',
  request: { params: PublicCreditPathParams },
  responses: {
    200: { description: 'the public status', schema: 'PublicCredit' },
  },
  problems: [NOT_FOUND('enterprise')],
  htmlWhenAccepted: {
    200: 'name, customs code, tier in Chinese and English, listing dates',
    404: 'a page saying no enterprise has that customs code',
  },
});
