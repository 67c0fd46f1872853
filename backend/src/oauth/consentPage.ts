// HTML of the consent page: plain server-rendered forms (no client JavaScript), labelled controls,
// visible focus, and contrast that passes WCAG AA. Every interpolated value is escaped.
import { CONSENT_TEXT, type Lang } from './consentText.js';
import type { StornoCompanySummary } from './stornoAccount.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f8fa;color:#1a1f36;margin:0}
main{max-width:34rem;margin:3rem auto;background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:2rem}
h1{font-size:1.4rem;margin-top:0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{font-weight:600}dd{margin:0}
.code{font-family:ui-monospace,monospace;font-size:1.3rem;letter-spacing:.1em}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
select,input[type=text]{width:100%;padding:.5rem;font-size:1rem;border:1px solid #6a7383;border-radius:4px;box-sizing:border-box}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #0a2540;cursor:pointer;margin:1rem .5rem 0 0}
.primary{background:#0a2540;color:#fff}.secondary{background:#fff;color:#0a2540}
button:focus,select:focus,input:focus,a:focus{outline:3px solid #635bff;outline-offset:2px}
.error{border-left:4px solid #c0123c;padding:.5rem 1rem;background:#fff5f7}
.ok{border-left:4px solid #1a7f37;padding:.5rem 1rem;background:#f0fff4}
.warning{border-left:4px solid #9a6700;padding:.5rem 1rem;background:#fff8c5}
nav{text-align:right;font-size:.9rem}a{color:#0a2540}
`;

export interface PageContext {
  lang: Lang;
  csrf: string;
  /** Path to this page with the other language selected. */
  switchHref: string;
}

function layout(ctx: PageContext, body: string): string {
  const t = CONSENT_TEXT[ctx.lang];
  return `<!doctype html>
<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(t.title)}</title><style>${STYLE}</style></head>
<body><main>
<nav><a href="${escapeHtml(ctx.switchHref)}" lang="${ctx.lang === 'ro' ? 'en' : 'ro'}">${escapeHtml(t.language)}</a></nav>
<h1>${escapeHtml(t.title)}</h1>
${body}
</main></body></html>`;
}

const csrfField = (ctx: PageContext) => `<input type="hidden" name="csrf" value="${escapeHtml(ctx.csrf)}">`;

/** Who asks, shown only to a signed-in Storno user: an unauthenticated visitor learns nothing from a code. */
export interface ConnectRequest {
  stripeAccountId: string;
  /** The account's business name from Stripe; null when Stripe could not tell. */
  stripeAccountName: string | null;
  /** The Stripe Dashboard user (usr_…) who started the connection. */
  requestedBy: string;
  requestedAt: Date;
  userCode: string;
}

function formatDateTime(lang: Lang, date: Date): string {
  const text = new Intl.DateTimeFormat(lang === 'ro' ? 'ro-RO' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Bucharest',
  }).format(date);
  return `${text} (${lang === 'ro' ? 'ora României' : 'Romania time'})`;
}

function requestSummary(ctx: PageContext, request: ConnectRequest): string {
  const t = CONSENT_TEXT[ctx.lang];
  const account = request.stripeAccountName
    ? `<strong>${escapeHtml(request.stripeAccountName)}</strong> (${escapeHtml(request.stripeAccountId)})`
    : escapeHtml(request.stripeAccountId);
  return `<p>${escapeHtml(t.intro)}</p>
<dl><dt>${escapeHtml(t.stripeAccount)}</dt><dd>${account}</dd>
<dt>${escapeHtml(t.requestedBy)}</dt><dd>${escapeHtml(t.dashboardUser(request.requestedBy))}</dd>
<dt>${escapeHtml(t.requestedAt)}</dt><dd><time datetime="${request.requestedAt.toISOString()}">${escapeHtml(formatDateTime(ctx.lang, request.requestedAt))}</time></dd>
<dt>${escapeHtml(t.userCode)}</dt><dd class="code">${escapeHtml(request.userCode)}</dd></dl>
<p>${escapeHtml(t.compareCode)}</p>
<p class="warning" role="note">${escapeHtml(t.phishingWarning)}</p>`;
}

export function messagePage(ctx: PageContext, message: string, kind: 'error' | 'ok', action?: { href: string; label: string }): string {
  return layout(
    ctx,
    `<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${escapeHtml(message)}</p>${
      action ? `<p><a href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></p>` : ''
    }`,
  );
}

export function enterCodePage(ctx: PageContext, error?: string): string {
  const t = CONSENT_TEXT[ctx.lang];
  return layout(
    ctx,
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/stripe-link/code">${csrfField(ctx)}
<label for="user_code">${escapeHtml(t.enterCode)}</label>
<input type="text" id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" required aria-describedby="code-help">
<p id="code-help">${escapeHtml(t.codeLabel)}</p>
<button type="submit" class="primary">${escapeHtml(t.continue)}</button></form>`,
  );
}

/** Before sign-in: the code only (to compare), nothing about the account that asks. */
export function signInPage(ctx: PageContext, userCode: string): string {
  const t = CONSENT_TEXT[ctx.lang];
  return layout(
    ctx,
    `<p>${escapeHtml(t.signInIntro)}</p>
<dl><dt>${escapeHtml(t.userCode)}</dt><dd class="code">${escapeHtml(userCode)}</dd></dl>
<p>${escapeHtml(t.compareCode)}</p>
<form method="post" action="/stripe-link/signin">${csrfField(ctx)}
<input type="hidden" name="user_code" value="${escapeHtml(userCode)}">
<button type="submit" class="primary" autofocus>${escapeHtml(t.signIn)}</button></form>`,
  );
}

export function approvePage(
  ctx: PageContext,
  input: { request: ConnectRequest; user: { email: string; name: string }; companies: StornoCompanySummary[]; error?: string },
): string {
  const t = CONSENT_TEXT[ctx.lang];
  const options = input.companies
    .map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(c.name)} (CIF ${escapeHtml(c.cif)})</option>`)
    .join('');
  return layout(
    ctx,
    `${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
${requestSummary(ctx, input.request)}
<p>${escapeHtml(t.signedInAs)} <strong>${escapeHtml(input.user.name)}</strong> (${escapeHtml(input.user.email)}).</p>
<form method="post" action="/api/v1/stripe-app/oauth/approve">${csrfField(ctx)}
<input type="hidden" name="user_code" value="${escapeHtml(input.request.userCode)}">
<label for="company_id">${escapeHtml(t.company)}</label>
<select id="company_id" name="company_id" required>${options}</select>
<button type="submit" name="approve" value="true" class="primary">${escapeHtml(t.authorize)}</button>
<button type="submit" name="approve" value="false" class="secondary">${escapeHtml(t.deny)}</button>
</form>
<form method="post" action="/stripe-link/signout">${csrfField(ctx)}<button type="submit" class="secondary">${escapeHtml(t.signOut)}</button></form>`,
  );
}
