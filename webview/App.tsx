import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { TemplateView } from '../src/protocol';
import { ConfigurationList } from './components/ConfigurationList';
import { useData } from './rpc/context';
import { AddNewConfiguration, EditConfiguration, RouteGroups, TemplatePicker } from './screens';
import { LazyUsageDashboard } from './usage/LazyUsageDashboard';
import { strings } from './strings';

type Screen =
  | { readonly kind: 'list'; readonly notice?: string }
  | { readonly kind: 'add'; readonly template?: TemplateView }
  | { readonly kind: 'edit'; readonly id: string }
  | { readonly kind: 'templates' }
  | { readonly kind: 'routeGroups' }
  | { readonly kind: 'usage' };

/** One panel, several screens; the host may switch screens with a `navigate` notification. */
export function App(props: { initialScreen: 'list' | 'add' | 'usage' }) {
  const { rpc } = useData();
  const [screen, setScreen] = useState<Screen>({ kind: props.initialScreen });
  // A counter in the key makes "Add" from the host start a fresh wizard even when one is open.
  const [visit, setVisit] = useState(0);
  // A layout effect runs inside render(), before main.tsx says `ready`: the host's `navigate` (Open Usage Dashboard on a
  // discarded background page) is posted right after `ready`, and a plain effect, run after the next frame, could
  // subscribe too late and leave the page on the list.
  useLayoutEffect(
    () =>
      rpc.onNotification((n) => {
        if (n.event !== 'navigate') return;
        setVisit((v) => v + 1);
        setScreen(n.configurationId ? { kind: 'edit', id: n.configurationId } : { kind: n.screen });
      }),
    [rpc],
  );
  useEffect(() => {
    document.body.dataset.screen = screen.kind;
    window.scrollTo(0, 0);
  }, [screen]);
  const toList = (notice?: string): void => {
    setScreen(notice ? { kind: 'list', notice } : { kind: 'list' });
  };
  switch (screen.kind) {
    case 'add':
      return (
        <AddNewConfiguration
          key={visit}
          template={screen.template}
          onDone={(name) => {
            toList(strings.created(name));
          }}
          onBudgets={() => {
            setScreen({ kind: 'usage' });
          }}
          onCancel={() => {
            toList();
          }}
        />
      );
    case 'edit':
      return (
        <EditConfiguration
          key={`${screen.id}/${String(visit)}`}
          id={screen.id}
          onDone={(name) => {
            toList(strings.saved(name));
          }}
          onBudgets={() => {
            setScreen({ kind: 'usage' });
          }}
          onCancel={() => {
            toList();
          }}
        />
      );
    case 'templates':
      return (
        <TemplatePicker
          onPick={(template) => {
            setScreen({ kind: 'add', template });
          }}
          onCancel={() => {
            toList();
          }}
        />
      );
    case 'routeGroups':
      return (
        <RouteGroups
          onBack={() => {
            toList();
          }}
        />
      );
    case 'usage':
      return (
        <LazyUsageDashboard
          key={visit}
          onBack={() => {
            toList();
          }}
        />
      );
    case 'list':
      return (
        <ConfigurationList
          key={screen.notice ?? ''}
          notice={screen.notice}
          onAdd={() => {
            setScreen({ kind: 'add' });
          }}
          onTemplates={() => {
            setScreen({ kind: 'templates' });
          }}
          onRouteGroups={() => {
            setScreen({ kind: 'routeGroups' });
          }}
          onEdit={(id) => {
            setScreen({ kind: 'edit', id });
          }}
          onUsage={() => {
            setScreen({ kind: 'usage' });
          }}
        />
      );
  }
}
