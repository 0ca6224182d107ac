import { lazyScreen } from './lazyScreen';
import { strings } from './strings';

// Every screen but the list is a chunk of its own: the editor opens on the list, so its first paint loads only that.
const texts = { loading: strings.loading, loadFailed: strings.screenLoadFailed };

export const AddNewConfiguration = lazyScreen(() => import('./components/AddNewConfiguration').then((m) => m.AddNewConfiguration), texts);
export const EditConfiguration = lazyScreen(() => import('./components/EditConfiguration').then((m) => m.EditConfiguration), texts);
export const TemplatePicker = lazyScreen(() => import('./components/TemplatePicker').then((m) => m.TemplatePicker), texts);
export const RouteGroups = lazyScreen(() => import('./components/RouteGroups').then((m) => m.RouteGroups), texts);
