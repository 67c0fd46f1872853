// Romanian documents carry calendar days in Europe/Bucharest (EET/EEST): a Stripe invoice finalized at
// 23:30 UTC on 31 Oct is dated 1 Nov in Romania.
const FORMATTER = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Bucharest',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Unix seconds → "YYYY-MM-DD" in Europe/Bucharest (DST handled by Intl). */
export function bucharestDate(unixSeconds: number): string {
  const parts = FORMATTER.formatToParts(new Date(unixSeconds * 1000));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Today in Europe/Bucharest (documents' dates and deadlines are Romanian calendar days). */
export function todayInBucharest(now = new Date()): string {
  return bucharestDate(Math.floor(now.getTime() / 1000));
}

/** The day a Stripe invoice was issued, in Romania: its finalization (the law's moment for the e-invoice's date). */
export function invoiceDay(invoice: { status_transitions?: { finalized_at?: number | null } | null; effective_at?: number | null; created: number }): string {
  return bucharestDate(invoice.status_transitions?.finalized_at ?? invoice.effective_at ?? invoice.created);
}
