import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** What a lazy screen shows while its chunk loads, and if it cannot load. */
export interface LazyTexts {
  readonly loading: string;
  readonly loadFailed: (why: string) => string;
}

/**
 * A screen whose code is a chunk of its own, imported when first shown, so the editor's first paint loads and parses
 * only the list. The import carries the page's script nonce (module scripts pass it on), which the CSP requires.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, texts: LazyTexts): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyScreen(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failed, setFailed] = useState<string | undefined>(undefined);
    useEffect(() => {
      if (component) return;
      load().then(
        (c) => {
          loaded = c;
          setComponent(() => c);
        },
        (error: unknown) => {
          setFailed(error instanceof Error ? error.message : String(error));
        },
      );
    }, [component]);
    if (failed) return <p class="error" role="alert">{texts.loadFailed(failed)}</p>;
    if (!component) return <p class="muted">{texts.loading}</p>;
    const Component = component;
    return <Component {...props} />;
  };
}
