// The local Dashboard preview: the bar, a stand-in Dashboard page, and the real extension view for the
// selected viewport rendered through the remote-ui host (host.tsx) with the preview platform.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { setPlatform } from '../src/api/platform';
import { emit, fetchDemo, type EmitRequest } from './api';
import { Bar } from './bar';
import { HostContext, type HostServices } from './components';
import { createExtensionHost } from './host';
import { previewPlatform } from './platform';
import {
  VIEWPORTS,
  demoCatalog,
  objectContextOf,
  parseSelection,
  selectionOfRoute,
  selectionQuery,
  type DemoObject,
  type Selection,
  type ViewportKey,
} from './selection';
import { STYLES } from './styles';
import { APP_NAME, PERMISSIONS, viewFor } from './views';

/** What the backend puts in the page (#preview-boot): who is signed in and where the backend is. */
interface Boot {
  apiBase: string;
  userId: string;
  userName: string;
  accountId: string;
  accountName: string;
}

/** The props the Dashboard passes a view (ExtensionContextValue) for this selection. */
function contextFor(boot: Boot, selection: Selection): ExtensionContextValue {
  return {
    userContext: {
      id: boot.userId,
      name: boot.userName,
      locale: selection.locale,
      roles: [{ id: 'admin', name: 'Administrator', type: 'builtIn' }],
      account: { id: boot.accountId, name: boot.accountName, country: 'RO', isSandbox: false },
    },
    environment: {
      viewportID: VIEWPORTS[selection.viewport].id,
      mode: 'test',
      objectContext: objectContextOf(selection),
      constants: { API_BASE: boot.apiBase },
      queryParams: {},
    },
    appContext: {
      authorizedPermissions: PERMISSIONS,
      authorizedContentSecurityPolicy: { connectSrc: [boot.apiBase], imageSrc: null },
    },
  };
}

const host = createExtensionHost();

function Preview({ boot }: { boot: Boot }) {
  const [selection, setSelection] = useState(() => parseSelection(window.location.search));
  // Bumped to mount the view afresh (after emitting events), like reopening the Dashboard page.
  const [generation, setGeneration] = useState(0);
  const [catalog, setCatalog] = useState<Record<ViewportKey, DemoObject[]> | null>(null);
  const [created, setCreated] = useState<DemoObject[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const go = useCallback((next: Selection, replace = false) => {
    const url = selectionQuery(next);
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setSelection(next);
  }, []);

  useEffect(() => {
    const onPop = () => setSelection(parseSelection(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    fetchDemo()
      .then((demo) => setCatalog(demoCatalog(demo)))
      .catch((error: Error) => setStatus(`Demo data unavailable: ${error.message}`));
  }, []);

  const objects = useMemo(() => {
    const list = [...(selection.viewport === 'payment' ? created : []), ...(catalog?.[selection.viewport] ?? [])];
    if (selection.object && !list.some((object) => object.id === selection.object)) list.unshift({ id: selection.object, description: '' });
    return list;
  }, [catalog, created, selection]);

  // A page that shows an object opens on the first demo object until one is picked.
  const needsObject = VIEWPORTS[selection.viewport].object !== null;
  useEffect(() => {
    if (needsObject && !selection.object && objects[0]) go({ ...selection, object: objects[0].id }, true);
  }, [needsObject, selection, objects, go]);

  const ready = !needsObject || Boolean(selection.object);
  useEffect(() => {
    const view = viewFor(VIEWPORTS[selection.viewport].id);
    const element = view && ready ? <view.component {...contextFor(boot, selection)} /> : null;
    host.render(element, `${selection.viewport}:${selection.object}:${selection.locale}:${generation}`);
  }, [boot, selection, generation, ready]);

  const services = useMemo<HostServices>(
    () => ({
      appName: APP_NAME,
      navigate(route) {
        const next = selectionOfRoute(route, selection.locale);
        if (next) go(next);
        else setStatus(`The preview has no page for ${JSON.stringify(route)}`);
      },
    }),
    [go, selection.locale],
  );

  async function send(request: EmitRequest) {
    setBusy(true);
    setStatus('Sending…');
    try {
      const result = await emit(request);
      const events = result.delivered.map((event) => `${event.type} → ${event.status}`).join(', ');
      setStatus(`${result.object.id}: ${events || 'no events'}`);
      if (request.kind === 'payment_succeeded') {
        setCreated((list) => [{ id: result.object.id, description: 'created in this preview' }, ...list]);
        go({ viewport: 'payment', object: result.object.id, locale: selection.locale });
      }
      setGeneration((value) => value + 1);
    } catch (error) {
      setStatus(`Failed: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  const onViewport = (viewport: ViewportKey) => {
    const first = VIEWPORTS[viewport].object ? (catalog?.[viewport][0]?.id ?? null) : null;
    go({ viewport, object: first, locale: selection.locale });
  };

  const settings = selection.viewport === 'settings';
  const page = VIEWPORTS[selection.viewport];
  const description = objects.find((object) => object.id === selection.object)?.description;
  return (
    <HostContext.Provider value={services}>
      <Bar
        selection={selection}
        objects={objects}
        busy={busy}
        status={status}
        onSelect={(next) => go(next)}
        onViewport={onViewport}
        onPayment={() => void send({ kind: 'payment_succeeded', customer: selection.viewport === 'customer' ? (selection.object ?? undefined) : undefined })}
        onRefund={() => selection.object && void send({ kind: 'refund', payment: selection.object })}
      />
      <div className={settings ? 'pv-dashboard pv-dashboard-settings' : 'pv-dashboard'}>
        <main className="pv-page">
          <div className="pv-breadcrumb">
            {boot.accountName} › {settings ? `Settings › Apps › ${APP_NAME}` : page.page}
          </div>
          <h1 className="pv-page-title">{settings ? APP_NAME : (selection.object ?? page.page)}</h1>
          {description ? <p className="pv-description">{description}</p> : null}
          {settings ? <div className="pv-settings-frame">{host.view}</div> : <div className="pv-page-placeholder" aria-hidden />}
        </main>
        {settings ? null : <div className="pv-drawer-frame">{ready ? host.view : null}</div>}
      </div>
    </HostContext.Provider>
  );
}

function start() {
  const boot = JSON.parse(document.getElementById('preview-boot')?.textContent ?? '{}') as Boot;
  setPlatform(previewPlatform({ userId: boot.userId, accountId: boot.accountId }));
  const style = document.createElement('style');
  style.textContent = STYLES;
  document.head.append(style);
  createRoot(document.getElementById('root')!).render(<Preview boot={boot} />);
}

start();
