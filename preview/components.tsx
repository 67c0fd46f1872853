// DOM implementations of the SDK's remote components, keyed by the names the SDK gives them
// (`createRemoteReactComponent('Button')` …). Props arrive as the view set them: strings, numbers, plain
// objects, remote functions (onPress, onChange… — call them), and fragment props (title, actions…) already
// turned into React elements by @remote-ui/react/host. Anything not listed here renders through
// `fallbackFor`, which shows the component's name so a missing implementation is visible.
import { createContext, useCallback, useContext, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { cssToStyle } from './css';
import { noteOpenedByLink } from './links';

type Props = Record<string, unknown> & { children?: ReactNode };

/** Host services the components need: the app's name for view headers and Dashboard navigation. */
export interface HostServices {
  appName: string;
  /** Follow a Dashboard RouteDescriptor (`href={{ name: 'invoiceDetails', … }}`). */
  navigate(route: unknown): void;
}

export const HostContext = createContext<HostServices>({ appName: 'App', navigate: () => undefined });

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const node = (value: unknown): ReactNode => value as ReactNode;

/** Calls a (remote) function prop; what it returns or throws is the view's business, not the host's. */
function call(fn: unknown, ...args: unknown[]): void {
  if (typeof fn !== 'function') return;
  try {
    const result: unknown = fn(...args);
    if (result instanceof Promise) result.catch((error: unknown) => console.error(error));
  } catch (error) {
    console.error(error);
  }
}

// Events cross the remote boundary as plain data (the Dashboard serializes them too).
const pressEvent = () => ({ type: 'press' });
const changeEvent = (input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement) => {
  const target = { value: input.value, name: input.name, checked: input instanceof HTMLInputElement ? input.checked : undefined };
  return { type: 'change', target, currentTarget: target };
};

const Spinner = (p: Props) => <span className={`pv-spinner pv-spinner-${str(p.size) ?? 'medium'}`} role="progressbar" aria-label="Loading" />;

/**
 * A pressable: a link when it has an `href` (a Dashboard RouteDescriptor navigates the preview instead), a
 * button otherwise. A `target="_blank"` link tells links.ts, so the view's openUrl doesn't open a 2nd tab.
 */
function Pressable({ p, className, children }: { p: Props; className: string; children: ReactNode }) {
  const { navigate } = useContext(HostContext);
  const disabled = Boolean(p.disabled) || Boolean(p.pending);
  const href = p.href;
  const target = str(p.target);
  if (typeof href === 'string' && !disabled) {
    return (
      <a
        className={className}
        href={href}
        target={target}
        rel="noopener noreferrer"
        onClick={() => {
          if (target === '_blank') noteOpenedByLink(href);
          call(p.onPress, pressEvent());
        }}
      >
        {children}
      </a>
    );
  }
  if (href && typeof href === 'object' && !disabled) {
    return (
      <a
        className={className}
        href="#"
        onClick={(event) => {
          event.preventDefault();
          call(p.onPress, pressEvent());
          navigate(href);
        }}
      >
        {children}
      </a>
    );
  }
  return (
    <button type="button" className={className} disabled={disabled} aria-busy={Boolean(p.pending)} onClick={() => call(p.onPress, pressEvent())}>
      {children}
    </button>
  );
}

const Button = (p: Props) => (
  <Pressable p={p} className={`pv-button pv-button-${str(p.type) ?? 'secondary'} pv-size-${str(p.size) ?? 'medium'}`}>
    {p.pending ? <Spinner size="small" /> : null}
    {p.children}
  </Pressable>
);

const Link = (p: Props) => (
  <Pressable p={p} className={`pv-link pv-link-${str(p.type) ?? 'primary'}`}>
    {p.children}
    {p.external ? <span aria-hidden> ↗</span> : null}
  </Pressable>
);

const Box = (p: Props) => {
  const layered = (p.css as Record<string, unknown> | undefined)?.stack === 'z';
  return (
    <div className={layered ? 'pv-box pv-z' : 'pv-box'} style={cssToStyle(p.css)}>
      {p.children}
    </div>
  );
};

const Inline = (p: Props) => <span style={cssToStyle(p.css)}>{p.children}</span>;

const Divider = () => <hr className="pv-divider" />;

const Badge = (p: Props) => <span className={`pv-badge pv-badge-${str(p.type) ?? 'neutral'}`}>{p.children}</span>;

const Banner = (p: Props) => (
  <div className={`pv-banner pv-banner-${str(p.type) ?? 'default'}`} role={p.type === 'critical' ? 'alert' : 'status'}>
    <div className="pv-banner-body">
      {p.title ? <div className="pv-banner-title">{node(p.title)}</div> : null}
      {p.description ? <div className="pv-banner-description">{node(p.description)}</div> : null}
      {p.children}
      {p.actions ? <div className="pv-banner-actions">{node(p.actions)}</div> : null}
    </div>
    {typeof p.onDismiss === 'function' ? (
      <button type="button" className="pv-dismiss" aria-label="Dismiss" onClick={() => call(p.onDismiss)}>
        ×
      </button>
    ) : null}
  </div>
);

/** Label, description and error around a form control. */
function Field({ p, children, inline }: { p: Props; children: ReactNode; inline?: boolean }) {
  return (
    <label className={inline ? 'pv-field pv-field-inline' : 'pv-field'}>
      {inline ? children : null}
      <span className="pv-field-text">
        {p.label ? <span className="pv-label">{node(p.label)}</span> : null}
        {p.description ? <span className="pv-description">{node(p.description)}</span> : null}
        {p.error ? <span className="pv-error">{node(p.error)}</span> : null}
      </span>
      {inline ? null : children}
    </label>
  );
}

/** Checkbox and Switch: controlled when `checked` is given, else they keep their own state. */
function Toggle({ p, role }: { p: Props; role?: 'switch' }) {
  const controlled = typeof p.checked === 'boolean';
  const [own, setOwn] = useState(Boolean(p.defaultChecked));
  const checked = controlled ? Boolean(p.checked) : own;
  return (
    <Field p={p} inline>
      <input
        type="checkbox"
        role={role}
        className={role === 'switch' ? 'pv-switch' : 'pv-checkbox'}
        name={str(p.name)}
        value={str(p.value)}
        checked={checked}
        disabled={Boolean(p.disabled)}
        onChange={(event) => {
          if (!controlled) setOwn(event.target.checked);
          call(p.onChange, changeEvent(event.target));
        }}
      />
    </Field>
  );
}

const Switch = (p: Props) => <Toggle p={p} role="switch" />;
const Checkbox = (p: Props) => <Toggle p={p} />;

const Radio = (p: Props) => (
  <Field p={p} inline>
    <input
      type="radio"
      name={str(p.name)}
      value={str(p.value)}
      checked={typeof p.checked === 'boolean' ? p.checked : undefined}
      defaultChecked={Boolean(p.defaultChecked)}
      disabled={Boolean(p.disabled)}
      onChange={(event) => call(p.onChange, changeEvent(event.target))}
    />
  </Field>
);

// Text inputs: `value` makes them controlled (like React), `defaultValue` not.
const inputProps = (p: Props) => ({
  name: str(p.name),
  placeholder: str(p.placeholder),
  disabled: Boolean(p.disabled),
  readOnly: Boolean(p.readOnly),
  required: Boolean(p.required),
  ...(typeof p.value === 'string' || typeof p.value === 'number' ? { value: p.value } : { defaultValue: str(p.defaultValue) }),
});

const TextField = (p: Props) => (
  <Field p={p}>
    <input className="pv-input" type={str(p.type) ?? 'text'} {...inputProps(p)} onChange={(event) => call(p.onChange, changeEvent(event.target))} />
  </Field>
);

const TextArea = (p: Props) => (
  <Field p={p}>
    <textarea className="pv-input" rows={typeof p.rows === 'number' ? p.rows : 3} {...inputProps(p)} onChange={(event) => call(p.onChange, changeEvent(event.target))} />
  </Field>
);

const Select = (p: Props) => (
  <Field p={p}>
    <select className="pv-input" multiple={Boolean(p.multiple)} {...inputProps(p)} onChange={(event) => call(p.onChange, changeEvent(event.target))}>
      {p.children}
    </select>
  </Field>
);

// `<option>` is the one HTML tag views may use (inside Select); it arrives as a remote component too.
const Option = (p: Props) => (
  <option value={str(p.value)} disabled={Boolean(p.disabled)}>
    {p.children}
  </option>
);

const FormFieldGroup = (p: Props) => (
  <fieldset className={`pv-fieldset pv-fieldset-${str(p.layout) ?? 'vertical'}`}>
    {p.legend ? <legend className="pv-label">{node(p.legend)}</legend> : null}
    {p.description ? <span className="pv-description">{node(p.description)}</span> : null}
    <div className="pv-fieldset-controls">{p.children}</div>
  </fieldset>
);

// Tabs: `selectedKey` + `onSelectionChange` (controlled) or own state starting on the first tab.
const TabsContext = createContext<{ selected?: string; select(key: string): void; register(key: string): void }>({
  select: () => undefined,
  register: () => undefined,
});

const Tabs = (p: Props) => {
  const controlled = typeof p.selectedKey === 'string';
  const [own, setOwn] = useState(str(p.defaultSelectedKey));
  const [first, setFirst] = useState<string>();
  const selected = controlled ? str(p.selectedKey) : (own ?? first);
  const register = useCallback((key: string) => setFirst((current) => current ?? key), []);
  const value = {
    selected,
    select(key: string) {
      if (!controlled) setOwn(key);
      call(p.onSelectionChange, key);
    },
    register,
  };
  return (
    <TabsContext.Provider value={value}>
      <div className={p.fitted ? 'pv-tabs pv-tabs-fitted' : 'pv-tabs'}>{p.children}</div>
    </TabsContext.Provider>
  );
};

const TabList = (p: Props) => (
  <div className="pv-tablist" role="tablist">
    {p.children}
  </div>
);

const Tab = (p: Props) => {
  const tabs = useContext(TabsContext);
  const id = str(p.id) ?? '';
  const { register } = tabs;
  useEffect(() => register(id), [register, id]);
  return (
    <button type="button" role="tab" className="pv-tab" aria-selected={tabs.selected === id} disabled={Boolean(p.disabled)} onClick={() => tabs.select(id)}>
      {p.children}
    </button>
  );
};

const TabPanels = (p: Props) => <div className="pv-tabpanels">{p.children}</div>;

const TabPanel = (p: Props) => {
  const { selected } = useContext(TabsContext);
  return selected === p.id ? (
    <div role="tabpanel" className="pv-tabpanel">
      {p.children}
    </div>
  ) : null;
};

const PropertyList = (p: Props) => <dl className={`pv-properties pv-properties-${str(p.orientation) ?? 'vertical'}`}>{p.children}</dl>;

const PropertyListItem = (p: Props) => (
  <div className="pv-property">
    <dt>{node(p.label)}</dt>
    <dd>{p.value !== undefined ? node(p.value) : p.children}</dd>
  </div>
);

const TASK_MARKS: Record<string, string> = { 'not-started': '○', 'in-progress': '◐', blocked: '⊘', complete: '✓' };

type Task = { title?: string; status?: string; onPress?: unknown; subTasks?: Task[] };

function TaskRow({ task }: { task: Task }) {
  const status = task.status ?? 'not-started';
  const title = typeof task.onPress === 'function' ? (
    <button type="button" className="pv-link pv-link-primary pv-plain" onClick={() => call(task.onPress, pressEvent())}>
      {task.title}
    </button>
  ) : (
    <span>{task.title}</span>
  );
  return (
    <li className={`pv-task pv-task-${status}`}>
      <span className="pv-task-mark" aria-label={status}>
        {TASK_MARKS[status] ?? '○'}
      </span>
      {title}
      {task.subTasks?.length ? (
        <ul className="pv-tasks pv-subtasks">
          {task.subTasks.map((sub, index) => (
            <TaskRow key={index} task={sub} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

const TaskList = (p: Props) => <ul className="pv-tasks">{p.children}</ul>;
const TaskListItem = (p: Props) => <TaskRow task={p as Task} />;

// List: items report presses to the List's onAction(id).
const ListContext = createContext<(id: string) => void>(() => undefined);

const List = (p: Props) => (
  <ListContext.Provider value={(id) => call(p.onAction, id)}>
    <ul className="pv-list">{p.children}</ul>
  </ListContext.Provider>
);

const ListItem = (p: Props) => {
  const onAction = useContext(ListContext);
  return (
    <li className="pv-list-item" onClick={() => onAction(str(p.id) ?? '')}>
      {p.icon || p.image ? <span className="pv-list-media">{node(p.icon ?? p.image)}</span> : null}
      <span className="pv-list-text">
        <span className="pv-list-title">{node(p.title)}</span>
        {p.secondaryTitle ? <span className="pv-description">{node(p.secondaryTitle)}</span> : null}
      </span>
      {p.value ? <span className="pv-list-value">{node(p.value)}</span> : null}
    </li>
  );
};

const cellProps = (p: Props) => ({
  style: { textAlign: (str(p.align) as 'left' | 'center' | 'right' | undefined) ?? undefined, whiteSpace: p.wrap ? 'normal' : undefined },
  colSpan: typeof p.colSpan === 'number' ? p.colSpan : undefined,
});

const Table = (p: Props) => <table className="pv-table">{p.children}</table>;
const TableHead = (p: Props) => <thead>{p.children}</thead>;
const TableBody = (p: Props) => <tbody>{p.children}</tbody>;
const TableFooter = (p: Props) => <tfoot>{p.children}</tfoot>;
const TableRow = (p: Props) => <tr>{p.children}</tr>;
const TableHeaderCell = (p: Props) => <th {...cellProps(p)}>{p.children}</th>;
const TableCell = (p: Props) => <td {...cellProps(p)}>{p.children}</td>;

const AccordionItem = (p: Props) => {
  const [open, setOpen] = useState(Boolean(p.defaultOpen));
  return (
    <div className={open ? 'pv-accordion-item pv-open' : 'pv-accordion-item'}>
      <button
        type="button"
        className="pv-accordion-header"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          call(p.onChange, !open);
        }}
      >
        <span aria-hidden>{open ? '▾' : '▸'}</span>
        <span className="pv-list-text">
          <span className="pv-list-title">{node(p.title)}</span>
          {p.subtitle ? <span className="pv-description">{node(p.subtitle)}</span> : null}
        </span>
        {p.actions ? <span className="pv-list-value">{node(p.actions)}</span> : null}
      </button>
      {open ? <div className="pv-accordion-body">{p.children}</div> : null}
    </div>
  );
};

const Accordion = (p: Props) => <div className="pv-accordion">{p.children}</div>;

const ICONS: Record<string, string> = {
  check: '✓',
  checkCircle: '✓',
  cancel: '✕',
  close: '✕',
  info: 'ℹ',
  warning: '⚠',
  warningCircle: '⚠',
  external: '↗',
  add: '+',
  refresh: '↻',
  arrowRight: '→',
  arrowLeft: '←',
  search: '⌕',
};

const Icon = (p: Props) => (
  <span className={`pv-icon pv-icon-${str(p.size) ?? 'medium'}`} style={cssToStyle(p.css)} title={str(p.name)}>
    {ICONS[str(p.name) ?? ''] ?? '•'}
  </span>
);

const Img = (p: Props) => <img src={str(p.src)} alt={str(p.alt) ?? ''} width={p.width as number | undefined} height={p.height as number | undefined} />;

const Tooltip = (p: Props) => (
  <span className="pv-tooltip">
    {node(p.trigger)}
    <span className="pv-tooltip-content" role="tooltip">
      {p.children}
    </span>
  </span>
);

const ButtonGroup = (p: Props) => <div className={`pv-button-group pv-button-group-${str(p.direction) ?? 'row'}`}>{p.children}</div>;

// Root views. ContextView is the Dashboard's right-hand drawer; SettingsView the app's settings page.
const ContextView = (p: Props) => {
  const { appName } = useContext(HostContext);
  const externalLink = p.externalLink as { label?: string; href?: string } | undefined;
  const footer = p.primaryAction || p.secondaryAction || p.footerContent;
  return (
    <aside className="pv-drawer" aria-label={`${appName} drawer`}>
      <header className="pv-drawer-header">
        <div className="pv-app-name">
          <span className="pv-app-icon" style={{ background: str(p.brandColor) ?? '#635bff' }} aria-hidden>
            {appName.slice(0, 1)}
          </span>
          {appName}
        </div>
        <h1 className="pv-view-title">{str(p.title)}</h1>
        {p.description ? <p className="pv-description">{str(p.description)}</p> : null}
        {externalLink?.href ? (
          <a className="pv-link pv-link-primary" href={externalLink.href} target="_blank" rel="noopener noreferrer">
            {externalLink.label} ↗
          </a>
        ) : null}
        {p.actions ? <div className="pv-drawer-actions">{node(p.actions)}</div> : null}
      </header>
      {p.banner ? <div className="pv-drawer-banner">{node(p.banner)}</div> : null}
      <div className="pv-drawer-body">{p.children}</div>
      {footer ? (
        <footer className="pv-drawer-footer">
          {node(p.footerContent)}
          <span className="pv-spacer" />
          {node(p.secondaryAction)}
          {node(p.primaryAction)}
        </footer>
      ) : null}
    </aside>
  );
};

const SettingsView = (p: Props) => (
  <form
    className="pv-settings"
    onSubmit={(event) => {
      event.preventDefault();
      // Like the Dashboard: the values of the named inputs, as strings.
      const values: Record<string, string> = {};
      new FormData(event.currentTarget).forEach((value, key) => {
        if (typeof value === 'string') values[key] = value;
      });
      call(p.onSave, values);
    }}
  >
    <div className="pv-settings-body">{p.children}</div>
    {typeof p.onSave === 'function' ? (
      <div className="pv-settings-footer">
        {p.statusMessage ? <span className="pv-description">{str(p.statusMessage)}</span> : null}
        <span className="pv-spacer" />
        <button type="submit" className="pv-button pv-button-primary pv-size-medium">
          Save
        </button>
      </div>
    ) : null}
  </form>
);

const FocusView = (p: Props) => {
  if (!p.shown) return null;
  const close = () => call(p.setShown, false);
  return (
    <div className="pv-focus-backdrop">
      <section className={`pv-focus pv-focus-${str(p.size) ?? 'small'}`} role="dialog" aria-label={str(p.title)}>
        <header className="pv-focus-header">
          <h2 className="pv-view-title">{str(p.title)}</h2>
          <button type="button" className="pv-dismiss" aria-label="Close" onClick={close}>
            ×
          </button>
        </header>
        <div className="pv-drawer-body">{p.children}</div>
        <footer className="pv-drawer-footer">
          {node(p.footerContent)}
          <span className="pv-spacer" />
          {node(p.secondaryAction)}
          {node(p.primaryAction)}
        </footer>
      </section>
    </div>
  );
};

export const COMPONENTS: Record<string, ComponentType<Props>> = {
  Accordion,
  AccordionItem,
  Badge,
  Banner,
  Box,
  Button,
  ButtonGroup,
  Checkbox,
  ContextView,
  Divider,
  FocusView,
  FormFieldGroup,
  Icon,
  Img,
  Inline,
  Link,
  List,
  ListItem,
  PropertyList,
  PropertyListItem,
  Radio,
  Select,
  SettingsView,
  Spinner,
  Switch,
  Tab,
  TabList,
  TabPanel,
  TabPanels,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeaderCell,
  TableRow,
  Tabs,
  TaskList,
  TaskListItem,
  TextArea,
  TextField,
  Tooltip,
  option: Option,
};

const fallbacks = new Map<string, ComponentType<Props>>();

/** A visible stand-in for a component the preview does not implement (one per name, so it stays mounted). */
export function fallbackFor(type: string): ComponentType<Props> {
  let component = fallbacks.get(type);
  if (!component) {
    const Unknown = (p: Props) => (
      <div className="pv-unknown" data-component={type}>
        <span className="pv-unknown-name">{`<${type}> has no preview implementation`}</span>
        {p.children}
      </div>
    );
    component = Unknown;
    fallbacks.set(type, component);
  }
  return component;
}
