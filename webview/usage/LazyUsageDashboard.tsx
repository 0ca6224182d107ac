import { useEffect, useState } from 'preact/hooks';
import { dashboardStrings as s } from '../strings';
import type { UsageDashboard } from './UsageDashboard';

type Dashboard = typeof UsageDashboard;
let loaded: Dashboard | undefined;

/**
 * The dashboard and its chart library are a separate chunk, imported when first shown, so the editor's first paint
 * does not parse them. The import carries the page's script nonce, which the CSP requires.
 */
export function LazyUsageDashboard(props: { readonly onBack: () => void }) {
  const [component, setComponent] = useState<Dashboard | undefined>(() => loaded);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (component) return;
    import('./UsageDashboard').then(
      (m) => {
        loaded = m.UsageDashboard;
        setComponent(() => m.UsageDashboard);
      },
      (error: unknown) => {
        setFailed(error instanceof Error ? error.message : String(error));
      },
    );
  }, [component]);
  if (failed) return <p class="error" role="alert">{s.loadFailed(failed)}</p>;
  if (!component) return <p class="muted">{s.loading}</p>;
  const Component = component;
  return <Component onBack={props.onBack} />;
}
