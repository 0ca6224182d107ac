/** The chat page's entry: imports the app (./main) once the page has loaded, as webview/boot.ts explains. */
function startChat(): void {
  import('./main').catch((error: unknown) => {
    console.error('The Model Manager Chat page could not load its code:', error);
  });
}

if (document.readyState === 'complete') startChat();
else window.addEventListener('load', startChat, { once: true });
