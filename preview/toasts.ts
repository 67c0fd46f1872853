// The Dashboard's toast, as a plain DOM element at the bottom of the page (4 s, like `showToast`).
const TOAST_MS = 4000;

export function showToast(message: string, kind: 'success' | 'caution' = 'success'): void {
  let tray = document.getElementById('pv-toasts');
  if (!tray) {
    tray = document.createElement('div');
    tray.id = 'pv-toasts';
    tray.setAttribute('aria-live', 'polite');
    document.body.append(tray);
  }
  const toast = document.createElement('div');
  toast.className = `pv-toast pv-toast-${kind}`;
  toast.setAttribute('role', 'status');
  // textContent, never innerHTML: the message comes from the view.
  toast.textContent = message.slice(0, 30);
  tray.append(toast);
  setTimeout(() => toast.remove(), TOAST_MS);
}
