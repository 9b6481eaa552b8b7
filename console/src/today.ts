import { localDateIn } from '../../domain/dates.ts';
import { useSimulatedToday } from './operator/clock-api.ts';

/**
 * Today's date in Asia/Shanghai, for overdue marks. On one machine it is the runtime's simulated
 * clock (the operator moves it); on AWS the browser's clock.
 */
function useBrowserToday(): string {
  return localDateIn(new Date());
}

export const useToday: () => string | undefined = __EMBEDDED__ ? useSimulatedToday : useBrowserToday;
