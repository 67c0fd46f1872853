// Opening a page in a new tab exactly once. In the Dashboard a Button with `href` + `target="_blank"`
// opens the page itself, and the view's onPress may also call `platform.openUrl` (a no-op there). The
// preview's DOM Button is a real link too, so `openUrl` skips a URL that a link click has just opened and
// opens only URLs the view asks for on its own.
const OPENED_BY_LINK_MS = 3000;
const openedByLink = new Map<string, number>();

const normalize = (url: string): string => {
  try {
    return new URL(url, window.location.href).href;
  } catch {
    return url;
  }
};

/** Called by a DOM link with target="_blank" right before the browser opens it. */
export function noteOpenedByLink(url: string): void {
  openedByLink.set(normalize(url), Date.now());
}

/** The preview's `platform.openUrl`. */
export function openUrl(url: string): void {
  const key = normalize(url);
  const at = openedByLink.get(key);
  if (at !== undefined && Date.now() - at < OPENED_BY_LINK_MS) return;
  window.open(key, '_blank', 'noopener');
}
