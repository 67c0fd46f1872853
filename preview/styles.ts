// Plain styles close to the Stripe Dashboard: a page, a 400px right-hand drawer for ContextView, a
// settings page for SettingsView, and the look of the SDK components (host side only).
export const STYLES = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/20px -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Ubuntu, sans-serif;
  color: #1a1b25; background: #f6f8fa; }
button, input, select, textarea { font: inherit; color: inherit; }

.pv-bar { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px;
  padding: 8px 16px; background: #1a1b25; color: #fff; font-size: 13px; }
.pv-bar select { max-width: 360px; padding: 2px 4px; color: #1a1b25; }
.pv-bar button { padding: 3px 10px; border: 1px solid #8792a2; border-radius: 4px; background: #30313d; color: #fff; cursor: pointer; }
.pv-bar button:disabled { opacity: .5; cursor: default; }
.pv-bar-events { display: inline-flex; gap: 8px; }
.pv-bar-status { color: #c1c9d2; font-size: 12px; }

.pv-dashboard { display: flex; min-height: calc(100vh - 40px); }
.pv-page { flex: 1; min-width: 0; padding: 24px 32px; }
.pv-breadcrumb { color: #6c7688; font-size: 12px; }
.pv-page-title { margin: 4px 0 8px; font-size: 24px; line-height: 32px; }
.pv-page-placeholder { height: 360px; margin-top: 16px; border-radius: 8px;
  background: repeating-linear-gradient(180deg, #fff 0 44px, #f6f8fa 44px 52px); border: 1px solid #e3e8ee; }
.pv-drawer-frame { width: 400px; flex: none; border-left: 1px solid #d5dbe1; background: #fff;
  box-shadow: -4px 0 16px rgba(26, 27, 37, .06); }
.pv-settings-frame { max-width: 720px; margin-top: 16px; }

.pv-drawer { display: flex; flex-direction: column; min-height: 100%; }
.pv-drawer-header { padding: 16px 20px 12px; border-bottom: 1px solid #e3e8ee; }
.pv-app-name { display: flex; align-items: center; gap: 8px; color: #6c7688; font-size: 12px; font-weight: 600; }
.pv-app-icon { display: inline-grid; place-items: center; width: 20px; height: 20px; border-radius: 4px; color: #fff; font-size: 11px; }
.pv-view-title { margin: 8px 0 0; font-size: 20px; line-height: 28px; font-weight: 700; }
.pv-drawer-actions, .pv-drawer-banner { padding: 8px 20px 0; }
.pv-drawer-body { flex: 1; padding: 16px 20px; overflow-wrap: anywhere; }
.pv-drawer-footer { display: flex; align-items: center; gap: 8px; padding: 12px 20px; border-top: 1px solid #e3e8ee; }
.pv-spacer { flex: 1; }

.pv-settings { background: #fff; border: 1px solid #e3e8ee; border-radius: 8px; }
.pv-settings-body { padding: 24px; }
.pv-settings-footer { display: flex; align-items: center; gap: 8px; padding: 12px 24px; border-top: 1px solid #e3e8ee; }

.pv-focus-backdrop { position: fixed; inset: 0; z-index: 20; background: rgba(26, 27, 37, .3); }
.pv-focus { position: absolute; top: 0; right: 0; bottom: 0; width: 400px; display: flex; flex-direction: column; background: #fff; }
.pv-focus-large { width: 640px; }
.pv-focus-header { display: flex; align-items: center; justify-content: space-between; padding: 12px 20px; border-bottom: 1px solid #e3e8ee; }

.pv-z > * { grid-area: 1 / 1; }
.pv-divider { border: 0; border-top: 1px solid #e3e8ee; margin: 0; width: 100%; }
.pv-description { color: #6c7688; font-size: 12px; line-height: 16px; }
.pv-label { font-weight: 600; }
.pv-error { color: #df1b41; font-size: 12px; }

.pv-button { display: inline-flex; align-items: center; justify-content: center; gap: 6px; border-radius: 6px; border: 1px solid transparent;
  font-weight: 600; cursor: pointer; text-decoration: none; white-space: nowrap; box-shadow: 0 1px 1px rgba(0, 0, 0, .08); }
.pv-size-small { padding: 2px 8px; font-size: 12px; }
.pv-size-medium { padding: 5px 12px; }
.pv-size-large { padding: 9px 16px; font-size: 16px; }
.pv-button-primary { background: #635bff; color: #fff; }
.pv-button-primary:hover { background: #5851ea; }
.pv-button-secondary { background: #fff; color: #1a1b25; border-color: #d5dbe1; }
.pv-button-secondary:hover { background: #f6f8fa; }
.pv-button-destructive { background: #df1b41; color: #fff; }
.pv-button:disabled { opacity: .55; cursor: default; }

.pv-link { color: #635bff; text-decoration: none; font-weight: 500; cursor: pointer; }
.pv-link:hover { text-decoration: underline; }
.pv-link-secondary { color: #6c7688; }
.pv-plain { border: 0; background: none; padding: 0; }

.pv-badge { display: inline-flex; align-items: center; padding: 0 6px; border-radius: 4px; font-size: 12px; line-height: 18px;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.pv-badge-neutral { background: #ebeef1; color: #545969; border-color: #d5dbe1; }
.pv-badge-info { background: #cff5f6; color: #0055bc; border-color: #a2e5ef; }
.pv-badge-positive { background: #d7f7c2; color: #006908; border-color: #a6eb84; }
.pv-badge-warning { background: #fcedb9; color: #a82c00; border-color: #fcd579; }
.pv-badge-negative { background: #ffe7f2; color: #b3093c; border-color: #ffccdf; }
.pv-badge-urgent { background: #df1b41; color: #fff; }

.pv-banner { display: flex; gap: 8px; padding: 12px; border-radius: 6px; border: 1px solid; }
.pv-banner-body { flex: 1; display: flex; flex-direction: column; gap: 4px; }
.pv-banner-title { font-weight: 600; }
.pv-banner-actions { display: flex; gap: 8px; margin-top: 4px; }
.pv-banner-default { background: #f5fbff; border-color: #b6d7f4; }
.pv-banner-caution { background: #fef9da; border-color: #f7d070; }
.pv-banner-critical { background: #fff5fa; border-color: #ffb3cb; }
.pv-dismiss { border: 0; background: none; font-size: 18px; line-height: 18px; cursor: pointer; color: #6c7688; align-self: flex-start; }

.pv-spinner { display: inline-block; border-radius: 50%; border: 2px solid #d5dbe1; border-top-color: #635bff;
  animation: pv-spin .8s linear infinite; flex: none; }
.pv-spinner-small { width: 12px; height: 12px; }
.pv-spinner-medium { width: 20px; height: 20px; }
.pv-spinner-large { width: 32px; height: 32px; border-width: 3px; }
@keyframes pv-spin { to { transform: rotate(360deg); } }

.pv-field { display: flex; flex-direction: column; gap: 4px; }
.pv-field-inline { flex-direction: row; align-items: flex-start; gap: 10px; cursor: pointer; }
.pv-field-text { display: flex; flex-direction: column; gap: 2px; }
.pv-input { padding: 5px 8px; border: 1px solid #d5dbe1; border-radius: 6px; background: #fff; }
.pv-switch { appearance: none; flex: none; width: 30px; height: 18px; margin: 1px 0 0; border-radius: 9px; background: #c1c9d2;
  position: relative; cursor: pointer; transition: background .15s; }
.pv-switch::after { content: ""; position: absolute; top: 2px; left: 2px; width: 14px; height: 14px; border-radius: 50%; background: #fff;
  transition: left .15s; box-shadow: 0 1px 2px rgba(0, 0, 0, .2); }
.pv-switch:checked { background: #635bff; }
.pv-switch:checked::after { left: 14px; }
.pv-switch:disabled { opacity: .5; }
.pv-fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 8px; }
.pv-fieldset-horizontal .pv-fieldset-controls { display: flex; gap: 12px; }

.pv-tablist { display: flex; gap: 16px; border-bottom: 1px solid #e3e8ee; }
.pv-tabs-fitted .pv-tab { flex: 1; }
.pv-tab { padding: 6px 0; border: 0; border-bottom: 2px solid transparent; background: none; color: #6c7688; font-weight: 600; cursor: pointer; }
.pv-tab[aria-selected="true"] { color: #635bff; border-bottom-color: #635bff; }

.pv-properties { margin: 0; display: flex; flex-direction: column; gap: 8px; }
.pv-properties-horizontal { flex-direction: row; flex-wrap: wrap; gap: 16px; }
.pv-property { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 8px; }
.pv-properties-horizontal .pv-property { display: flex; flex-direction: column; gap: 2px; }
.pv-property dt { color: #6c7688; }
.pv-property dd { margin: 0; }

.pv-tasks { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.pv-subtasks { margin: 6px 0 0 22px; }
.pv-task-mark { display: inline-block; width: 20px; color: #6c7688; }
.pv-task-complete .pv-task-mark { color: #228403; }
.pv-task-blocked .pv-task-mark { color: #df1b41; }
.pv-task-in-progress .pv-task-mark { color: #635bff; }

.pv-list { list-style: none; margin: 0; padding: 0; }
.pv-list-item { display: flex; align-items: center; gap: 8px; padding: 8px 0; border-bottom: 1px solid #e3e8ee; cursor: pointer; }
.pv-list-text { flex: 1; display: flex; flex-direction: column; text-align: left; }
.pv-list-title { font-weight: 500; }
.pv-accordion-item { border-bottom: 1px solid #e3e8ee; }
.pv-accordion-header { display: flex; width: 100%; align-items: center; gap: 8px; padding: 8px 0; border: 0; background: none; cursor: pointer; }
.pv-accordion-body { padding: 0 0 12px 20px; }

.pv-table { width: 100%; border-collapse: collapse; }
.pv-table th { text-align: left; color: #6c7688; font-size: 12px; font-weight: 600; border-bottom: 1px solid #e3e8ee; padding: 4px 8px 4px 0; }
.pv-table td { border-bottom: 1px solid #e3e8ee; padding: 6px 8px 6px 0; }

.pv-icon { display: inline-block; line-height: 1; color: #6c7688; }
.pv-tooltip { position: relative; }
.pv-tooltip-content { display: none; position: absolute; bottom: 100%; left: 0; z-index: 5; padding: 6px 8px; border-radius: 4px;
  background: #1a1b25; color: #fff; font-size: 12px; width: max-content; max-width: 240px; }
.pv-tooltip:hover .pv-tooltip-content { display: block; }
.pv-button-group { display: flex; gap: 8px; }
.pv-button-group-column { flex-direction: column; }

.pv-unknown { border: 2px dashed #df1b41; border-radius: 4px; padding: 4px; }
.pv-unknown-name { display: block; color: #df1b41; font: 600 12px ui-monospace, monospace; }

#pv-toasts { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); z-index: 30; display: flex; flex-direction: column; gap: 8px; }
.pv-toast { padding: 8px 16px; border-radius: 6px; background: #1a1b25; color: #fff; box-shadow: 0 4px 12px rgba(0, 0, 0, .2); }
.pv-toast-caution::before { content: "⚠ "; color: #fcd579; }
.pv-toast-success::before { content: "✓ "; color: #a6eb84; }
`;
