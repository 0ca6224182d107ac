import { useEffect, useState } from 'preact/hooks';

/**
 * Counts theme changes: VS Code swaps the body's vscode-light/vscode-dark class and rewrites the --vscode-*
 * variables on <html> when the user picks another colour theme, so charts redraw with the new colours.
 */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => {
      setVersion((v) => v + 1);
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    return () => {
      observer.disconnect();
    };
  }, []);
  return version;
}
