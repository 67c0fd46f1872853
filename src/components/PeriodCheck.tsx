// Home's "Check a period" section (issue 16): pick this month / last month / custom days, see what became of
// every Stripe sale (counts and totals per status), create the missing e-invoices one by one or all at once
// (late ones confirmed first), follow the job's progress — also after the view is reopened — and export.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Badge, Banner, Box, Button, Inline, TextField } from '@stripe/ui-extension-sdk/ui';
import { ApiError, type StornoClient } from '../api/client';
import { errorMessage } from '../api/hooks';
import { periodApi, presetPeriods, SALE_STATUSES } from '../api/period';
import type { BackfillResponse, ExportLinks, LateConfirmationRequired, PeriodSaleView, ReconciliationResponse } from '../api/contract';
import { getPlatform } from '../api/platform';
import type { I18n } from '../i18n';
import { ActionError, Muted, Section } from './States';

/** Pause between progress reads while Stripe is read or the backfill runs. */
export const PERIOD_POLL_MS = 1500;
const MISSING_LISTED = 10;
const BAR_CELLS = 20;

type Preset = 'this_month' | 'last_month' | 'custom';

export function progressBar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((done / total) * BAR_CELLS) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${total > 0 ? Math.floor((done / total) * 100) : 0}%`;
}

/** Totals per currency; with foreign currencies, also their sum in RON at the BNR rate of each sale's day. */
const Totals = ({ i18n, totals, ron }: { i18n: I18n; totals: Record<string, string>; ron: string | null }) => {
  const currencies = Object.keys(totals);
  return (
    <Box css={{ stack: 'y', gap: 'xxsmall' }}>
      <Inline css={{ font: 'caption', color: 'secondary' }}>{currencies.map((currency) => i18n.money(totals[currency]!, currency)).join(' · ') || i18n.t.none}</Inline>
      {ron && currencies.some((currency) => currency !== 'RON') ? <Inline css={{ font: 'caption', color: 'secondary' }}>{i18n.t.periodCheck.ronEquivalent(i18n.money(ron, 'RON'))}</Inline> : null}
    </Box>
  );
};

function MissingRow({ i18n, sale, pending, onCreate }: { i18n: I18n; sale: PeriodSaleView; pending: boolean; onCreate: () => void }) {
  const p = i18n.t.periodCheck;
  return (
    <Box css={{ stack: 'x', gap: 'small', distribute: 'space-between', alignY: 'center' }}>
      <Box css={{ stack: 'y', gap: 'xxsmall' }}>
        <Inline css={{ fontWeight: 'semibold' }}>{`${p.kinds[sale.kind] ?? sale.kind} · ${sale.customer ?? sale.stripeId}`}</Inline>
        <Inline css={{ font: 'caption', color: 'secondary' }}>{`${i18n.money(sale.amount, sale.currency)} · ${sale.date} · ${p.deadline(sale.deadline)}`}</Inline>
      </Box>
      <Box css={{ stack: 'x', gap: 'small', alignY: 'center' }}>
        {sale.late ? <Badge type="urgent">{p.late}</Badge> : null}
        <Button size="small" pending={pending} disabled={pending} onPress={onCreate}>
          {p.create}
        </Button>
      </Box>
    </Box>
  );
}

function Progress({ i18n, job, onStop, stopping }: { i18n: I18n; job: BackfillResponse; onStop: () => void; stopping: boolean }) {
  const p = i18n.t.periodCheck;
  const finished = job.done + job.failed;
  const line =
    job.status === 'running'
      ? `${p.progress(job.done, job.total, job.failed)}${job.etaSeconds !== null ? ` · ${p.eta(job.etaSeconds)}` : ''}`
      : job.status === 'cancelled'
        ? p.stopped(job.done)
        : p.finished(job.done, job.failed);
  return (
    <Box css={{ stack: 'y', gap: 'xsmall', padding: 'small', backgroundColor: 'container', borderRadius: 'small' }}>
      <Inline css={{ fontWeight: 'semibold' }}>{p.progressTitle}</Inline>
      <Inline css={{ font: 'caption' }}>{progressBar(finished, job.total)}</Inline>
      <Inline>{line}</Inline>
      {job.failures.slice(0, 3).map((f) => (
        <Inline key={f.stripeId} css={{ font: 'caption', color: 'critical' }}>{`${f.stripeId}: ${f.message}`}</Inline>
      ))}
      {job.status === 'running' ? (
        <Box>
          <Button size="small" type="destructive" pending={stopping} onPress={onStop}>
            {p.stop}
          </Button>
        </Box>
      ) : null}
    </Box>
  );
}

export function PeriodCheck({ i18n, client }: { i18n: I18n; client: StornoClient }) {
  const p = i18n.t.periodCheck;
  const [preset, setPreset] = useState<Preset | null>(null);
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [rec, setRec] = useState<ReconciliationResponse | null>(null);
  const [job, setJob] = useState<BackfillResponse | null>(null);
  const [late, setLate] = useState<LateConfirmationRequired | null>(null);
  const [links, setLinks] = useState<ExportLinks | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped on unmount and on every new check, so a superseded poll loop stops.
  const run = useRef(0);

  useEffect(
    () => () => {
      run.current++;
    },
    [],
  );

  /** Re-reads the check until Stripe has been read; a stale finished one is asked for again. */
  const follow = useCallback(
    async (first: ReconciliationResponse, mine: number) => {
      let current = first;
      while (mine === run.current) {
        if (current.status === 'done' && current.stale) current = await periodApi.check(client, current.from, current.to);
        if (mine !== run.current) return;
        setRec(current);
        if (current.status === 'done' || current.status === 'failed') return;
        await getPlatform().sleep(PERIOD_POLL_MS);
        if (mine !== run.current) return;
        current = await periodApi.reconciliation(client, current.id);
      }
    },
    [client],
  );

  /** Follows a backfill until it ends, then shows the period's fresh figures. */
  const followJob = useCallback(
    async (first: BackfillResponse, mine: number) => {
      let current = first;
      while (mine === run.current) {
        setJob(current);
        if (current.status !== 'running') {
          await follow(await periodApi.reconciliation(client, current.reconciliationId), mine);
          return;
        }
        await getPlatform().sleep(PERIOD_POLL_MS);
        if (mine !== run.current) return;
        current = await periodApi.backfill(client, current.id);
      }
    },
    [client, follow],
  );

  const guarded = useCallback(async (key: string, action: () => Promise<void>) => {
    setPending(key);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(null);
    }
  }, []);

  // Reopened while a backfill runs: pick it up and keep following it.
  useEffect(() => {
    const mine = ++run.current;
    void periodApi
      .activeBackfill(client)
      .then(({ active }) => (active && mine === run.current ? followJob(active, mine) : undefined))
      .catch(() => undefined);
  }, [client, followJob]);

  const check = (from: string, to: string) =>
    guarded('check', async () => {
      const mine = ++run.current;
      setRec(null);
      setJob(null);
      setLate(null);
      setLinks(null);
      await follow(await periodApi.check(client, from, to), mine);
    });

  const choose = (next: Preset) => {
    setPreset(next);
    if (next === 'custom') return;
    const period = presetPeriods(getPlatform().now())[next];
    void check(period.from, period.to);
  };

  const startAll = (confirmLate: boolean) =>
    guarded('all', async () => {
      if (!rec) return;
      try {
        const started = await periodApi.startBackfill(client, rec.id, confirmLate);
        setLate(null);
        getPlatform().toast(p.toastStarted, 'success');
        await followJob(started, ++run.current);
      } catch (caught) {
        if (caught instanceof ApiError && caught.code === 'late_confirmation_required') {
          setLate(caught.body as LateConfirmationRequired);
          return;
        }
        throw caught;
      }
    });

  const createOne = (sale: PeriodSaleView) =>
    guarded(sale.stripeId, async () => {
      await periodApi.create(client, sale);
      getPlatform().toast(p.toastCreated, 'success');
      if (rec) await follow(await periodApi.reconciliation(client, rec.id), ++run.current);
    });

  const stop = () =>
    guarded('stop', async () => {
      if (!job) return;
      setJob(await periodApi.cancelBackfill(client, job.id));
      getPlatform().toast(p.toastStopped, 'success');
    });

  const prepareExport = () =>
    guarded('export', async () => {
      if (rec) setLinks(await periodApi.exportLinks(client, rec.id));
    });

  const summary = rec?.status === 'done' ? rec.summary : null;
  const missingCount = summary?.byStatus.missing.count ?? 0;
  const running = job?.status === 'running';

  return (
    <Section title={p.title}>
      <Muted>{p.intro}</Muted>
      <Box css={{ stack: 'x', gap: 'small', wrap: 'wrap' }}>
        <Button type={preset === 'this_month' ? 'primary' : 'secondary'} size="small" onPress={() => choose('this_month')}>
          {p.thisMonth}
        </Button>
        <Button type={preset === 'last_month' ? 'primary' : 'secondary'} size="small" onPress={() => choose('last_month')}>
          {p.lastMonth}
        </Button>
        <Button type={preset === 'custom' ? 'primary' : 'secondary'} size="small" onPress={() => choose('custom')}>
          {p.custom}
        </Button>
      </Box>
      {preset === 'custom' ? (
        <Box css={{ stack: 'x', gap: 'small', alignY: 'bottom', wrap: 'wrap' }}>
          <TextField label={p.from} value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
          <TextField label={p.to} value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
          <Button size="small" pending={pending === 'check'} onPress={() => void check(custom.from.trim(), custom.to.trim())}>
            {p.check}
          </Button>
        </Box>
      ) : null}
      <ActionError i18n={i18n} message={error} onDismiss={() => setError(null)} />
      {rec && rec.status !== 'done' && rec.status !== 'failed' ? <Muted>{p.reading(rec.progress.salesFound)}</Muted> : null}
      {rec?.status === 'failed' ? <Banner type="critical" title={p.failed} description={rec.error ?? ''} /> : null}
      {job ? <Progress i18n={i18n} job={job} stopping={pending === 'stop'} onStop={() => void stop()} /> : null}
      {summary && rec ? (
        <Box css={{ stack: 'y', gap: 'small' }}>
          <Inline css={{ fontWeight: 'semibold' }}>{p.periodLabel(rec.from, rec.to)}</Inline>
          <Box css={{ display: 'grid', gridColumns: 3, gap: 'small' }}>
            {SALE_STATUSES.map((status) => (
              <Box key={status} css={{ stack: 'y', gap: 'xxsmall', padding: 'small', backgroundColor: 'container', borderRadius: 'small' }}>
                <Inline css={{ font: 'caption', color: 'secondary' }}>{p.statuses[status]}</Inline>
                <Inline css={{ font: 'heading' }}>{String(summary.byStatus[status].count)}</Inline>
                <Totals i18n={i18n} totals={summary.byStatus[status].totals} ron={summary.byStatus[status].ronEquivalent} />
              </Box>
            ))}
          </Box>
          {summary.late > 0 ? <Banner type="caution" title={p.lateCount(summary.late)} description={p.lateBody} /> : null}
          {missingCount === 0 ? <Muted>{p.allGood}</Muted> : null}
          {late ? (
            <Box css={{ stack: 'y', gap: 'small' }}>
              <Banner
                type="caution"
                title={p.confirmLateTitle(late.lateCount, missingCount)}
                description={`${p.confirmLateBody} ${late.late
                  .slice(0, 5)
                  .map((s) => `${s.customer ?? s.stripeId} (${s.date})`)
                  .join(', ')}${late.lateCount > 5 ? ` ${p.moreMissing(late.lateCount - 5)}` : ''}`}
              />
              <Box css={{ stack: 'x', gap: 'small' }}>
                <Button type="primary" size="small" pending={pending === 'all'} onPress={() => void startAll(true)}>
                  {p.confirmLate}
                </Button>
                <Button size="small" onPress={() => setLate(null)}>
                  {p.cancel}
                </Button>
              </Box>
            </Box>
          ) : null}
          {missingCount > 0 && !running ? (
            <Box css={{ stack: 'y', gap: 'small' }}>
              <Inline css={{ font: 'subheading' }}>{p.missingTitle(missingCount)}</Inline>
              {rec.missing.slice(0, MISSING_LISTED).map((sale) => (
                <MissingRow key={sale.stripeId} i18n={i18n} sale={sale} pending={pending === sale.stripeId} onCreate={() => void createOne(sale)} />
              ))}
              {missingCount > MISSING_LISTED ? <Muted>{p.moreMissing(missingCount - MISSING_LISTED)}</Muted> : null}
              <Box>
                <Button type="primary" pending={pending === 'all'} disabled={pending === 'all' || late !== null} onPress={() => void startAll(false)}>
                  {p.createAll(missingCount)}
                </Button>
              </Box>
            </Box>
          ) : null}
          <Box css={{ stack: 'x', gap: 'small', alignY: 'center', wrap: 'wrap' }}>
            {links ? (
              <>
                <Button size="small" href={links.csvUrl} target="_blank" onPress={() => getPlatform().openUrl(links.csvUrl)}>
                  {p.exportCsv}
                </Button>
                <Button size="small" href={links.jsonUrl} target="_blank" onPress={() => getPlatform().openUrl(links.jsonUrl)}>
                  {p.exportJson}
                </Button>
                <Muted>{p.exportExpires}</Muted>
              </>
            ) : (
              <Button size="small" pending={pending === 'export'} onPress={() => void prepareExport()}>
                {p.exportPrepare}
              </Button>
            )}
          </Box>
        </Box>
      ) : null}
    </Section>
  );
}
