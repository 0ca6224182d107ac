/**
 * The editor page's entry. VS Code shows a webview's frame only after the page's load event (or 200 ms), and that event
 * waits for every script fetched before it: so the app (./main and its chunks) is imported once the page has loaded,
 * and the page's first frame (the title the host wrote into it) is on screen while the app's code arrives. Self-contained
 * on purpose: a module shared with the chat page's entry would become a chunk that the load event waits for too.
 */
function startEditor(): void {
  import('./main').catch((error: unknown) => {
    console.error('The Model Manager page could not load its code:', error);
  });
}

if (document.readyState === 'complete') startEditor();
else window.addEventListener('load', startEditor, { once: true });
