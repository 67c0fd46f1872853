// The extension host. The Dashboard runs an extension in a sandbox where React renders into a remote-ui
// `RemoteRoot`; every change travels as a message to the Dashboard's `RemoteReceiver`, which renders real
// DOM components. The preview does the same in one page: the views render into a RemoteRoot whose channel
// is the receiver, and `RemoteRenderer` (@remote-ui/react/host) draws the receiver's tree with COMPONENTS.
import { Component, type ReactNode } from 'react';
import { createRemoteRoot, createRoot } from '@remote-ui/react';
import { RemoteRenderer, createController, createRemoteReceiver, type Controller } from '@remote-ui/react/host';
import { Banner } from '@stripe/ui-extension-sdk/ui';
import { COMPONENTS, fallbackFor } from './components';

/** The controller of @remote-ui/react/host, except that an unknown component renders a visible fallback. */
function previewController(): Controller {
  const controller = createController(COMPONENTS);
  return { ...controller, get: (type) => COMPONENTS[type] ?? fallbackFor(String(type)) };
}

/**
 * Runs inside the extension's tree (remote side): a crash shows a critical banner in the view, the way a
 * broken extension shows an error instead of taking the Dashboard down.
 */
class ExtensionErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    return error ? <Banner type="critical" title="The extension crashed" description={error.message} /> : this.props.children;
  }
}

export interface ExtensionHost {
  /** Render the extension's element on the remote side; a new `key` mounts it afresh (like a navigation). */
  render(element: ReactNode, key: string): void;
  /** The host-side React element that shows what the extension rendered. */
  view: ReactNode;
}

export function createExtensionHost(): ExtensionHost {
  const receiver = createRemoteReceiver();
  const remoteRoot = createRemoteRoot(receiver.receive);
  const extensionRoot = createRoot(remoteRoot);
  let mounted = false;
  return {
    render(element, key) {
      extensionRoot.render(<ExtensionErrorBoundary key={key}>{element}</ExtensionErrorBoundary>);
      // The first render fills the root; mount() then sends the whole tree to the receiver at once.
      if (!mounted) {
        mounted = true;
        void remoteRoot.mount();
      }
    },
    view: <RemoteRenderer receiver={receiver} controller={previewController()} />,
  };
}
