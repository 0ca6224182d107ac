import { lazyScreen } from '../lazyScreen';
import { dashboardStrings } from '../strings';

/** The dashboard and its chart library are a separate chunk, imported when first shown. */
export const LazyUsageDashboard = lazyScreen(() => import('./UsageDashboard').then((m) => m.UsageDashboard), dashboardStrings);
