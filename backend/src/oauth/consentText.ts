// Words of the consent page in Romanian and English.
export type Lang = 'ro' | 'en';

export const CONSENT_TEXT = {
  en: {
    title: 'Connect Stripe to Storno.ro',
    intro: 'A Stripe account asks to issue e-invoices through your Storno.ro company.',
    stripeAccount: 'Stripe account',
    userCode: 'Code shown in Stripe',
    compareCode: 'Check that this code matches the one shown in the Stripe Dashboard.',
    signInIntro: 'Sign in to Storno.ro to see which Stripe account asks to connect, and to approve or deny it.',
    requestedBy: 'Requested by',
    dashboardUser: (userId: string) => `Stripe Dashboard user ${userId}`,
    requestedAt: 'Requested at',
    phishingWarning:
      'Approve only a code you started yourself in the Stripe Dashboard just now. If someone sent you this link or code, deny it: approving lets that Stripe account issue e-invoices in the name of the company you pick.',
    signIn: 'Sign in with Storno.ro',
    signedInAs: 'Signed in to Storno.ro as',
    signOut: 'Sign out',
    company: 'Company to connect',
    authorize: 'Authorize',
    deny: 'Deny',
    enterCode: 'Enter the code shown in the Stripe Dashboard',
    continue: 'Continue',
    codeLabel: 'Code (for example BCDF-GHJK)',
    unknownCode: 'This code is not known. Check it and type it again, or start again from the app settings in Stripe.',
    expiredCode: 'This code has expired. Start the connection again from the app settings in Stripe.',
    usedCode: 'This code was already used. Start the connection again from the app settings in Stripe if you need to.',
    deniedCode: 'This connection was denied. Start again from the app settings in Stripe if that was a mistake.',
    approvedCode: 'This connection is already approved. Return to Stripe; the app finishes by itself.',
    signInFailed: 'Signing in to Storno.ro did not succeed. Try again.',
    tryAgain: 'Try again',
    noCompany: 'Your Storno.ro user has no company in its organization. Add a company in Storno.ro, then try again.',
    noAccess: 'Your Storno.ro user cannot access that company. Pick one from the list.',
    connected: (company: string) => `Connected to ${company}. Return to the Stripe Dashboard: the app finishes by itself. You can close this tab.`,
    denied: 'You denied the connection. Nothing was shared with the Stripe account.',
    tooManyAttempts: 'Too many wrong codes from this browser. Wait a few minutes, then try again.',
    sessionExpired: 'Your session on this page expired. Open the link from Stripe again.',
    language: 'Limba: Română',
  },
  ro: {
    title: 'Conectează Stripe la Storno.ro',
    intro: 'Un cont Stripe cere să emită facturi electronice prin compania ta din Storno.ro.',
    stripeAccount: 'Cont Stripe',
    userCode: 'Codul afișat în Stripe',
    compareCode: 'Verifică dacă acest cod este identic cu cel afișat în Stripe Dashboard.',
    signInIntro: 'Autentifică-te în Storno.ro pentru a vedea ce cont Stripe cere conectarea și pentru a o aproba sau refuza.',
    requestedBy: 'Cerută de',
    dashboardUser: (userId: string) => `utilizatorul Stripe Dashboard ${userId}`,
    requestedAt: 'Cerută la',
    phishingWarning:
      'Aprobă doar un cod pe care l-ai pornit chiar tu acum în Stripe Dashboard. Dacă cineva ți-a trimis acest link sau cod, refuză: aprobarea permite acelui cont Stripe să emită facturi electronice în numele companiei pe care o alegi.',
    signIn: 'Autentificare cu Storno.ro',
    signedInAs: 'Autentificat în Storno.ro ca',
    signOut: 'Deconectare',
    company: 'Compania de conectat',
    authorize: 'Autorizează',
    deny: 'Refuză',
    enterCode: 'Introdu codul afișat în Stripe Dashboard',
    continue: 'Continuă',
    codeLabel: 'Cod (de exemplu BCDF-GHJK)',
    unknownCode: 'Codul nu este cunoscut. Verifică-l și introdu-l din nou sau reia conectarea din setările aplicației în Stripe.',
    expiredCode: 'Codul a expirat. Reia conectarea din setările aplicației în Stripe.',
    usedCode: 'Codul a fost deja folosit. Reia conectarea din setările aplicației în Stripe dacă este nevoie.',
    deniedCode: 'Conectarea a fost refuzată. Reia din setările aplicației în Stripe dacă a fost o greșeală.',
    approvedCode: 'Conectarea este deja aprobată. Revino în Stripe; aplicația se conectează singură.',
    signInFailed: 'Autentificarea în Storno.ro nu a reușit. Încearcă din nou.',
    tryAgain: 'Încearcă din nou',
    noCompany: 'Utilizatorul tău Storno.ro nu are nicio companie în organizație. Adaugă o companie în Storno.ro și încearcă din nou.',
    noAccess: 'Utilizatorul tău Storno.ro nu are acces la acea companie. Alege una din listă.',
    connected: (company: string) => `Conectat la ${company}. Revino în Stripe Dashboard: aplicația se conectează singură. Poți închide această filă.`,
    denied: 'Ai refuzat conectarea. Nimic nu a fost partajat cu contul Stripe.',
    tooManyAttempts: 'Prea multe coduri greșite din acest browser. Așteaptă câteva minute și încearcă din nou.',
    sessionExpired: 'Sesiunea pe această pagină a expirat. Deschide din nou linkul din Stripe.',
    language: 'Language: English',
  },
} as const;

export type ConsentText = (typeof CONSENT_TEXT)[Lang];

export function pickLang(queryLang: unknown, cookieLang: string | undefined, acceptLanguage: string | undefined): Lang {
  if (queryLang === 'ro' || queryLang === 'en') return queryLang;
  if (cookieLang === 'ro' || cookieLang === 'en') return cookieLang;
  return /^\s*ro\b/i.test(acceptLanguage ?? '') ? 'ro' : 'en';
}
