// The real extension views, picked the way the Dashboard picks them: the manifest's
// `ui_extension.views` maps a viewport id to a component name, the default export of src/views/<name>.tsx.
import type { ComponentType } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import manifest from '../stripe-app.json';
import AppSettings from '../src/views/AppSettings';
import CustomerDetailView from '../src/views/CustomerDetailView';
import HomeOverviewView from '../src/views/HomeOverviewView';
import InvoiceDetailView from '../src/views/InvoiceDetailView';
import PaymentDetailView from '../src/views/PaymentDetailView';
import SubscriptionDetailView from '../src/views/SubscriptionDetailView';

type View = ComponentType<ExtensionContextValue>;

const COMPONENTS: Record<string, View> = {
  AppSettings,
  CustomerDetailView,
  HomeOverviewView,
  InvoiceDetailView,
  PaymentDetailView,
  SubscriptionDetailView,
};

export const APP_NAME = manifest.name;
export const PERMISSIONS = manifest.permissions.map((entry) => entry.permission);

/** The view the manifest declares for a viewport, or null (the Dashboard would show no app view). */
export function viewFor(viewportId: string): { name: string; component: View } | null {
  const declared = manifest.ui_extension.views.find((view) => view.viewport === viewportId);
  const component = declared ? COMPONENTS[declared.component] : undefined;
  return declared && component ? { name: declared.component, component } : null;
}
