// /api/v1/invoices/{id}/payments (§5.3): amounts as strings, > 0 and ≤ balance; never changes the status.
import type { FastifyInstance } from 'fastify';
import { principalOf, requirePermission } from '../auth.js';
import type { SandboxContext } from '../context.js';
import { dayToRfc3339, isValidDay, todayInBucharest, toRfc3339 } from '../dates.js';
import { fail } from '../errors.js';
import { newId } from '../ids.js';
import { balanceOf } from '../invoices.js';
import { Big, isNegative, money, parseDecimal } from '../money.js';
import type { Invoice, Payment } from '../state.js';
import { bodyOf, loadInvoice } from './common.js';

const paymentOut = (p: Payment) => ({
  id: p.id, amount: p.amount, currency: p.currency, paymentDate: dayToRfc3339(p.paymentDate), paymentMethod: p.paymentMethod,
  reference: p.reference, notes: p.notes, isReconciled: p.isReconciled, createdAt: p.createdAt,
});

function settle(invoice: Invoice, payments: Payment[]): void {
  const paid = payments.reduce((acc, p) => acc.plus(p.amount), new Big(0));
  invoice.amountPaid = paid.toFixed(2);
  invoice.paidAt = new Big(invoice.total).gt(0) && new Big(balanceOf(invoice)).lte(0) ? (invoice.paidAt ?? toRfc3339()) : null;
}

export function paymentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;
  type P = { Params: { id: string } };

  app.post<P>('/api/v1/invoices/:id/payments', async (request, reply) => {
    const principal = principalOf(request);
    requirePermission(principal, 'payment.create');
    const invoice = loadInvoice(store, principal, request.params.id);
    const body = bodyOf(request);
    if (body.amount === undefined || body.amount === null || body.amount === '') throw fail(400, 'Field "amount" is required.');
    if (typeof body.paymentMethod !== 'string' || !body.paymentMethod) throw fail(400, 'Field "paymentMethod" is required.');
    const amount = parseDecimal(body.amount);
    if (!amount || amount.lte(0)) throw fail(400, 'Amount must be greater than zero.');
    if (isNegative(invoice.total)) throw fail(422, 'Payments cannot be recorded on an invoice with a negative total.');
    if (amount.gt(balanceOf(invoice))) throw fail(422, `Payment amount exceeds the outstanding balance (${balanceOf(invoice)}).`);
    if (body.paymentDate !== undefined && !isValidDay(String(body.paymentDate).slice(0, 10))) throw fail(400, 'Invalid paymentDate.');
    const payment: Payment = {
      id: newId(),
      invoiceId: invoice.id,
      amount: money(amount),
      currency: typeof body.currency === 'string' ? body.currency : invoice.currency,
      paymentDate: body.paymentDate !== undefined ? String(body.paymentDate).slice(0, 10) : todayInBucharest(),
      paymentMethod: body.paymentMethod,
      reference: typeof body.reference === 'string' ? body.reference : null,
      notes: typeof body.notes === 'string' ? body.notes : null,
      isReconciled: false,
      createdAt: toRfc3339(),
    };
    store.state.payments.push(payment);
    settle(invoice, store.state.payments.filter((p) => p.invoiceId === invoice.id));
    ctx.webhooks.emit(invoice.companyId, 'payment.received', {
      paymentId: payment.id, invoiceId: invoice.id, amount: payment.amount, paymentMethod: payment.paymentMethod, currency: payment.currency,
    });
    return reply.code(201).send(paymentOut(payment));
  });

  app.get<P>('/api/v1/invoices/:id/payments', async (request) => {
    const principal = principalOf(request);
    requirePermission(principal, 'payment.view');
    const invoice = loadInvoice(store, principal, request.params.id);
    return store.state.payments.filter((p) => p.invoiceId === invoice.id).map(paymentOut);
  });

  app.delete<{ Params: { id: string; paymentId: string } }>('/api/v1/invoices/:id/payments/:paymentId', async (request, reply) => {
    const principal = principalOf(request);
    requirePermission(principal, 'payment.delete');
    const invoice = loadInvoice(store, principal, request.params.id);
    const idx = store.state.payments.findIndex((p) => p.id === request.params.paymentId && p.invoiceId === invoice.id);
    if (idx < 0) throw fail(404, 'Payment not found.');
    store.state.payments.splice(idx, 1);
    settle(invoice, store.state.payments.filter((p) => p.invoiceId === invoice.id));
    return reply.code(204).send();
  });

}
