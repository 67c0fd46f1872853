// zod schemas for what Storno answers (shared/storno-api.md, server behaviour, not the docs).
// Objects are loose: extra fields pass through untouched; a missing or mistyped field we rely on is an error
// that names it ("invoice.total: expected string, received number"). Fields the server may omit are optional,
// fields it sends as null are nullable.
import { z } from 'zod';

/** Money/quantity/rate as the server sends them: "1815.00", "-2.0000", "21.00". */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string like "12.34"');
const id = z.string().min(1);
const nstr = z.string().nullable();
const ostr = nstr.optional();

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number(),
  scope: z.string().optional(),
});

export const meSchema = z.looseObject({
  id,
  email: z.string(),
  firstName: ostr,
  lastName: ostr,
  organization: z.looseObject({ id, name: z.string() }).nullable().optional(),
  memberships: z.array(z.looseObject({ id: z.string().optional(), role: z.string(), organization: z.looseObject({ id, name: z.string() }) })).optional(),
  permissions: z.array(z.string()).optional(),
});

export const companySchema = z.looseObject({
  id,
  name: z.string(),
  cif: z.union([z.number(), z.string()]),
  vatPayer: z.boolean().optional(),
  defaultCurrency: z.string().optional(),
  isReadOnly: z.boolean().optional(),
  efacturaDelayHours: z.number().nullable().optional(),
});
export const companyDetailSchema = companySchema.extend({ hasValidToken: z.boolean().optional() });
export const companyListSchema = z.looseObject({ data: z.array(companySchema) });

export const clientRowSchema = z.looseObject({
  id,
  type: z.string().optional(),
  name: z.string(),
  cui: ostr,
  cnp: ostr,
  vatCode: ostr,
  email: ostr,
  country: ostr,
});
/** The client detail: a list row plus the fields only the detail carries. */
export const clientSchema = clientRowSchema.extend({
  isVatPayer: z.boolean().optional(),
  address: ostr,
  city: ostr,
  county: ostr,
  source: ostr,
});

const pageMeta = { total: z.number().int().nonnegative(), page: z.number().int().positive(), limit: z.number().int().positive() };
export const clientPageSchema = z.looseObject({ data: z.array(clientRowSchema), ...pageMeta });

export const invoiceLineSchema = z.looseObject({
  description: z.string(),
  quantity: decimalString,
  unitPrice: decimalString,
  vatRate: decimalString,
  vatCategoryCode: z.string().optional(),
  vatAmount: decimalString.optional(),
  lineTotal: decimalString.optional(),
  unitOfMeasure: z.string().optional(),
});

const invoiceCore = {
  id,
  number: z.string(),
  status: z.string(),
  documentType: z.string(),
  currency: z.string(),
  subtotal: decimalString,
  vatTotal: decimalString,
  total: decimalString,
  issueDate: nstr,
  dueDate: ostr,
  receiverName: ostr,
  receiverCif: ostr,
  parentDocumentId: ostr,
  invoiceTypeCode: ostr,
  amountPaid: decimalString.optional(),
  balance: decimalString.optional(),
  paidAt: ostr,
  anafErrorMessage: ostr,
  scheduledSendAt: ostr,
  client: z.looseObject({ id, name: z.string() }).nullable().optional(),
};
const invoiceListItemSchema = z.looseObject(invoiceCore);
export const invoiceSchema = z.looseObject({
  ...invoiceCore,
  anafStatus: ostr,
  lines: z.array(invoiceLineSchema),
  documentSeries: z.looseObject({ id, prefix: z.string() }).nullable().optional(),
  exchangeRate: decimalString.nullable().optional(),
  refundInvoices: z.array(z.looseObject({ id, number: z.string(), status: z.string() })).optional(),
});

export const clientDetailSchema = z.looseObject({
  client: clientSchema,
  invoiceHistory: z.array(invoiceListItemSchema),
  invoiceTotal: z.union([z.number(), z.string()]).optional(),
  invoiceCount: z.number().optional(),
});
export const createClientResultSchema = z.looseObject({
  client: clientRowSchema,
  anafValidated: z.boolean().optional(),
  existing: z.boolean().optional(),
});

export const validationResultSchema = z.looseObject({
  valid: z.boolean(),
  errors: z.array(
    z.looseObject({ message: z.string(), source: z.string().optional(), ruleId: ostr, location: ostr }),
  ),
  warnings: z.array(z.unknown()).optional(),
});
export const invoiceWithValidationSchema = z.looseObject({ invoice: invoiceSchema, validation: validationResultSchema });

export const issueResultSchema = z.looseObject({
  status: z.string(),
  number: z.string(),
  efacturaDelayHours: z.number().nullable().optional(),
  scheduledSendAt: ostr,
});
export const submitResultSchema = z.looseObject({ message: z.string().optional(), status: z.string() });

export const vatRateSchema = z.looseObject({
  id,
  rate: decimalString,
  label: z.string(),
  categoryCode: z.string(),
  isDefault: z.boolean(),
  isActive: z.boolean(),
});


export const paymentSchema = z.looseObject({
  id,
  amount: decimalString,
  currency: ostr,
  paymentDate: nstr,
  paymentMethod: nstr,
  reference: ostr,
  notes: ostr,
});

export const webhookSchema = z.looseObject({
  id,
  url: z.string(),
  events: z.array(z.string()),
  isActive: z.boolean(),
  description: ostr,
  secret: z.string().optional(),
});

/** Unpaginated lists: the server uses `{data:[…]}` for most and a bare array for a few (payments, events). */
// Unwrapping before validation (not a union) keeps field-named errors: "data.2.rate: expected string".
export const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v ? (v as { data: unknown }).data : v),
    z.array(item),
  );

/** One item, bare or in a `{data: X}` envelope (webhook create). */
export const itemOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'object' && v !== null && 'data' in v && typeof (v as { data: unknown }).data === 'object'
        ? (v as { data: unknown }).data
        : v,
    item,
  );
