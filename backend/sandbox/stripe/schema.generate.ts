// Regenerates schema.json — the shape of the pinned API version as the `stripe` package's TypeScript types
// describe it — so the fake serves exactly the fields Stripe serves, allows exactly the expansions Stripe
// allows and accepts exactly the parameters Stripe accepts. Run after upgrading `stripe`:
//   npx tsx backend/sandbox/stripe/schema.generate.ts
// Reads node_modules/stripe/esm/**/*.d.ts with the TypeScript compiler (no type checking: syntax only).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
// The package's `exports` hides package.json; its main entry lives in <package>/cjs/.
const PACKAGE_DIR = resolve(dirname(require.resolve('stripe')), '..');
const STRIPE_DIR = join(PACKAGE_DIR, 'esm');
const OUT = new URL('./schema.json', import.meta.url);

/** API object name → [file, interface] of its type: the objects the fake serves. */
const OBJECTS: Record<string, [string, string]> = {
  account: ['resources/Accounts.d.ts', 'Account'],
  customer: ['resources/Customers.d.ts', 'Customer'],
  tax_id: ['resources/TaxIds.d.ts', 'TaxId'],
  invoice: ['resources/Invoices.d.ts', 'Invoice'],
  line_item: ['resources/InvoiceLineItems.d.ts', 'InvoiceLineItem'],
  invoice_payment: ['resources/InvoicePayments.d.ts', 'InvoicePayment'],
  payment_intent: ['resources/PaymentIntents.d.ts', 'PaymentIntent'],
  charge: ['resources/Charges.d.ts', 'Charge'],
  refund: ['resources/Refunds.d.ts', 'Refund'],
  subscription: ['resources/Subscriptions.d.ts', 'Subscription'],
  subscription_item: ['resources/SubscriptionItems.d.ts', 'SubscriptionItem'],
  'checkout.session': ['resources/Checkout/Sessions.d.ts', 'Session'],
  item: ['resources/LineItems.d.ts', 'LineItem'],
  tax_rate: ['resources/TaxRates.d.ts', 'TaxRate'],
  product: ['resources/Products.d.ts', 'Product'],
  price: ['resources/Prices.d.ts', 'Price'],
  plan: ['resources/Plans.d.ts', 'Plan'],
  coupon: ['resources/Coupons.d.ts', 'Coupon'],
  discount: ['resources/Discounts.d.ts', 'Discount'],
  event: ['resources/Events.d.ts', 'EventBase'],
};

/** Endpoint → [file, params interface] (pagination parameters come from `extends PaginationParams`). */
const ENDPOINTS: Record<string, [string, string]> = {
  'GET /v1/account': ['resources/Accounts.d.ts', 'AccountRetrieveParams'],
  'GET /v1/accounts/:id': ['resources/Accounts.d.ts', 'AccountRetrieveParams'],
  'GET /v1/customers': ['resources/Customers.d.ts', 'CustomerListParams'],
  'GET /v1/customers/:id': ['resources/Customers.d.ts', 'CustomerRetrieveParams'],
  'GET /v1/customers/:id/tax_ids': ['resources/Customers.d.ts', 'CustomerListTaxIdsParams'],
  'GET /v1/customers/:id/tax_ids/:id': ['resources/Customers.d.ts', 'CustomerRetrieveTaxIdParams'],
  'GET /v1/invoices': ['resources/Invoices.d.ts', 'InvoiceListParams'],
  'GET /v1/invoices/:id': ['resources/Invoices.d.ts', 'InvoiceRetrieveParams'],
  'GET /v1/invoices/:id/lines': ['resources/Invoices.d.ts', 'InvoiceListLineItemsParams'],
  'GET /v1/invoice_payments': ['resources/InvoicePayments.d.ts', 'InvoicePaymentListParams'],
  'GET /v1/invoice_payments/:id': ['resources/InvoicePayments.d.ts', 'InvoicePaymentRetrieveParams'],
  'GET /v1/payment_intents': ['resources/PaymentIntents.d.ts', 'PaymentIntentListParams'],
  'GET /v1/payment_intents/:id': ['resources/PaymentIntents.d.ts', 'PaymentIntentRetrieveParams'],
  'GET /v1/charges': ['resources/Charges.d.ts', 'ChargeListParams'],
  'GET /v1/charges/:id': ['resources/Charges.d.ts', 'ChargeRetrieveParams'],
  'GET /v1/refunds': ['resources/Refunds.d.ts', 'RefundListParams'],
  'GET /v1/refunds/:id': ['resources/Refunds.d.ts', 'RefundRetrieveParams'],
  'POST /v1/refunds': ['resources/Refunds.d.ts', 'RefundCreateParams'],
  'GET /v1/subscriptions': ['resources/Subscriptions.d.ts', 'SubscriptionListParams'],
  'GET /v1/subscriptions/:id': ['resources/Subscriptions.d.ts', 'SubscriptionRetrieveParams'],
  'GET /v1/checkout/sessions': ['resources/Checkout/Sessions.d.ts', 'Checkout.SessionListParams'],
  'GET /v1/checkout/sessions/:id': ['resources/Checkout/Sessions.d.ts', 'Checkout.SessionRetrieveParams'],
  'GET /v1/checkout/sessions/:id/line_items': ['resources/Checkout/Sessions.d.ts', 'Checkout.SessionListLineItemsParams'],
  'GET /v1/tax_rates': ['resources/TaxRates.d.ts', 'TaxRateListParams'],
  'GET /v1/tax_rates/:id': ['resources/TaxRates.d.ts', 'TaxRateRetrieveParams'],
  'GET /v1/prices': ['resources/Prices.d.ts', 'PriceListParams'],
  'GET /v1/prices/:id': ['resources/Prices.d.ts', 'PriceRetrieveParams'],
  'GET /v1/products': ['resources/Products.d.ts', 'ProductListParams'],
  'GET /v1/products/:id': ['resources/Products.d.ts', 'ProductRetrieveParams'],
  'GET /v1/coupons': ['resources/Coupons.d.ts', 'CouponListParams'],
  'GET /v1/coupons/:id': ['resources/Coupons.d.ts', 'CouponRetrieveParams'],
  'GET /v1/events': ['resources/Events.d.ts', 'EventListParams'],
  'GET /v1/events/:id': ['resources/Events.d.ts', 'EventRetrieveParams'],
};

/** A field as the fake needs it: o = only present sometimes (`?`), e = expandable (`string | Obj`), l = ApiList, r = types it holds. */
interface Field {
  o?: 1;
  e?: 1;
  l?: 1;
  r?: string[];
}
type Shape = Record<string, Field>;

interface Module {
  file: string;
  /** Declarations by dotted name inside the file (`Invoice`, `Invoice.Parent`). */
  interfaces: Map<string, ts.InterfaceDeclaration>;
  aliases: Set<string>;
  /** Local name → [module file, name there] for named imports; → [module file, ''] for `import * as`. */
  imports: Map<string, [string, string]>;
  reexports: Map<string, [string, string]>;
}

const modules = new Map<string, Module>();

function load(file: string): Module {
  const known = modules.get(file);
  if (known) return known;
  const source = ts.createSourceFile(file, readFileSync(join(STRIPE_DIR, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const module: Module = { file, interfaces: new Map(), aliases: new Set(), imports: new Map(), reexports: new Map() };
  modules.set(file, module);
  const target = (spec: ts.Expression) => relative(STRIPE_DIR, resolve(dirname(join(STRIPE_DIR, file)), (spec as ts.StringLiteral).text.replace(/\.js$/, '.d.ts')));
  const walk = (nodes: ts.NodeArray<ts.Statement>, prefix: string) => {
    for (const node of nodes) {
      if (ts.isInterfaceDeclaration(node)) module.interfaces.set(prefix + node.name.text, node);
      else if (ts.isTypeAliasDeclaration(node)) module.aliases.add(prefix + node.name.text);
      else if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) walk(node.body.statements, `${prefix}${node.name.text}.`);
      else if (ts.isImportDeclaration(node) && node.importClause?.namedBindings) {
        const from = target(node.moduleSpecifier);
        const bindings = node.importClause.namedBindings;
        if (ts.isNamespaceImport(bindings)) module.imports.set(bindings.name.text, [from, '']);
        else for (const el of bindings.elements) module.imports.set(el.name.text, [from, (el.propertyName ?? el.name).text]);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && node.exportClause && ts.isNamedExports(node.exportClause)) {
        const from = target(node.moduleSpecifier);
        for (const el of node.exportClause.elements) module.reexports.set(el.name.text, [from, (el.propertyName ?? el.name).text]);
      }
    }
  };
  walk(source.statements, '');
  return module;
}

/** `file#Dotted.Name` of an interface, following imports and re-exports; null for aliases/unknown. */
function resolveName(module: Module, scope: string[], name: string): string | null {
  for (let i = scope.length; i >= 0; i--) {
    const candidate = [...scope.slice(0, i), name].join('.');
    if (module.interfaces.has(candidate)) return `${module.file}#${candidate}`;
    if (module.aliases.has(candidate)) return null;
  }
  const [head, ...rest] = name.split('.');
  const imported = module.imports.get(head!) ?? module.reexports.get(head!);
  if (!imported) return null;
  const other = load(imported[0]);
  const inOther = imported[1] ? [imported[1], ...rest].join('.') : rest.join('.');
  return inOther ? resolveName(other, [], inOther) : null;
}

interface TypeInfo {
  hasString: boolean;
  refs: string[];
  list: boolean;
}

function describe(type: ts.TypeNode, module: Module, scope: string[], info: TypeInfo = { hasString: false, refs: [], list: false }): TypeInfo {
  if (ts.isUnionTypeNode(type)) for (const t of type.types) describe(t, module, scope, info);
  else if (ts.isParenthesizedTypeNode(type)) describe(type.type, module, scope, info);
  else if (ts.isArrayTypeNode(type)) describe(type.elementType, module, scope, info);
  else if (type.kind === ts.SyntaxKind.StringKeyword) info.hasString = true;
  else if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if ((name === 'Array' || name === 'ApiList') && type.typeArguments?.[0]) {
      if (name === 'ApiList') info.list = true;
      describe(type.typeArguments[0], module, scope, info);
    } else {
      const id = resolveName(module, scope, name);
      if (id) info.refs.push(id);
    }
  }
  return info;
}

const shapes: Record<string, Shape> = {};

function shapeOf(id: string): void {
  if (shapes[id]) return;
  const [file, name] = id.split('#') as [string, string];
  const module = load(file);
  const decl = module.interfaces.get(name);
  if (!decl) throw new Error(`no interface ${id}`);
  const shape: Shape = {};
  shapes[id] = shape;
  const scope = name.split('.').slice(0, -1);
  const members = [...decl.members];
  for (const heritage of decl.heritageClauses ?? []) {
    for (const base of heritage.types) {
      const baseId = resolveName(module, scope, base.expression.getText());
      if (baseId) {
        shapeOf(baseId);
        Object.assign(shape, shapes[baseId]);
      }
    }
  }
  for (const member of members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const key = member.name.getText().replace(/^['"]|['"]$/g, '');
    if (member.type.kind === ts.SyntaxKind.VoidKeyword) continue; // `deleted?: void` marks the non-deleted variant
    const info = describe(member.type, module, scope);
    const field: Field = {};
    if (member.questionToken) field.o = 1;
    if (info.hasString && info.refs.length) field.e = 1;
    if (info.list) field.l = 1;
    if (info.refs.length) field.r = [...new Set(info.refs)].map(short);
    shape[key] = field;
    for (const ref of info.refs) shapeOf(ref);
  }
}

/** Ids in the JSON drop the directory and `.d.ts`: `Invoices#Invoice.Parent`. */
const short = (id: string) => id.replace(/^resources\//, '').replace(/\.d\.ts#/, '#');

function paramsOf(file: string, name: string): string[] {
  const id = resolveName(load(file), [], name);
  if (!id) throw new Error(`no params interface ${file} ${name}`);
  shapeOf(id);
  return Object.keys(shapes[id]!).sort();
}

const version = (/ApiVersion = "([^"]+)"/.exec(readFileSync(join(STRIPE_DIR, 'apiVersion.d.ts'), 'utf8'))![1]!);
const objects: Record<string, string> = {};
for (const [object, [file, name]] of Object.entries(OBJECTS)) {
  const id = resolveName(load(file), [], name);
  if (!id) throw new Error(`no ${name} in ${file}`);
  objects[object] = short(id);
}
for (const [file, name] of Object.values(OBJECTS)) shapeOf(`${file}#${name}`);
const endpoints: Record<string, string[]> = {};
for (const [endpoint, [file, name]] of Object.entries(ENDPOINTS)) endpoints[endpoint] = paramsOf(file, name);
// Params interfaces are not object shapes; keep only what the object graph reaches.
const reachable = new Set<string>();
const byShort = Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [short(id), shape]));
const visitShort = (id: string) => {
  if (reachable.has(id)) return;
  reachable.add(id);
  for (const field of Object.values(byShort[id] ?? {})) for (const ref of field.r ?? []) visitShort(ref);
};
for (const id of Object.values(objects)) visitShort(id);
const types = Object.fromEntries([...reachable].sort().filter((id) => byShort[id]).map((id) => [id, byShort[id]!]));

const stripePackage = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
// One entry per line: small, and a regeneration diff shows which fields moved.
const block = (record: Record<string, unknown>) => `{\n${Object.entries(record).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n }`;
writeFileSync(
  OUT,
  `{\n "apiVersion": ${JSON.stringify(version)},\n "stripeNode": ${JSON.stringify(stripePackage.version)},\n "objects": ${block(objects)},\n "endpoints": ${block(endpoints)},\n "types": ${block(types)}\n}\n`,
);
console.log(`schema.json: API ${version}, ${Object.keys(objects).length} objects, ${Object.keys(types).length} types, ${Object.keys(endpoints).length} endpoints`);
