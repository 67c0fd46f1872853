import { clientProposal, clientSearchTerms, decideClient, matchClient, stillAgrees } from './matching.js';
import { foldName, foldText } from './names.js';
import type { StornoClientRow } from './types.js';

const sameName = (a: string, b: string) => foldName(a) !== '' && foldName(a) === foldName(b);

describe('name folding', () => {
  it('folds diacritics (comma and cedilla), case, punctuation and legal forms', () => {
    expect(foldText('Șțăâî ŞŢ')).toBe('stAai st'.toLowerCase());
    expect(sameName('Demo Software S.R.L.', 'DEMO SOFTWARE SRL')).toBe(true);
    expect(sameName('Demo Șoftware', 'DEMO SOFTWARE SRL')).toBe(true);
    expect(sameName('SC Demo Software SRL', 'Demo Software')).toBe(true);
    expect(sameName('Demo Software SRL-D', 'Demo Software')).toBe(true);
    expect(sameName('Popescu Ion PFA', 'Popescu Ion')).toBe(true);
    expect(sameName('Popescu Ion I.I.', 'POPESCU ION')).toBe(true);
    expect(sameName('Beispiel GmbH', 'Beispiel')).toBe(true);
    expect(sameName('Acme Ltd.', 'ACME LIMITED')).toBe(true);
    expect(sameName('Demo Software', 'Demo Soft')).toBe(false);
    expect(sameName('', '')).toBe(false);
    expect(foldName('S.R.L.')).toBe('srl');
  });
});

const rows: StornoClientRow[] = [
  { id: 'a', type: 'company', name: 'ALTA FIRMA SRL', cui: '18547290', email: 'office@alta.ro', country: 'RO' },
  { id: 'b', type: 'company', name: 'DEMO SOFTWARE SRL', cui: '4221306', vatCode: 'RO4221306', email: 'office@demo.ro', country: 'RO' },
  { id: 'c', type: 'company', name: 'Beispiel GmbH', cui: 'DE123456789', vatCode: 'DE123456789', country: 'DE' },
  { id: 'd', type: 'individual', name: 'Ion Popescu', email: 'ion@example.ro', country: 'RO' },
];

describe('matchClient', () => {
  it.each([
    ['eu_vat', 'RO4221306'], ['eu_vat', 'ro 4221306'], ['eu_vat', ' RO 42 21 306'], ['eu_vat', 'RO004221306'],
    ['ro_tin', '4221306'], ['ro_tin', '004221306'], ['ro_tin', '4 221 306'],
  ])('%s %s matches by ro_cif', (type, value) => {
    expect(matchClient({ taxIds: [{ type, value }] }, rows)).toEqual({ clientId: 'b', matchedBy: 'ro_cif' });
  });
  it('ro_tin CUI matches a client stored with RO in cui', () => {
    expect(matchClient({ taxIds: [{ type: 'ro_tin', value: '4221306' }] }, [{ id: 'z', name: 'x', cui: 'RO4221306' }])).toEqual({ clientId: 'z', matchedBy: 'ro_cif' });
  });
  it('an invalid CIF never matches a different client by CIF, and does not fall back across a conflicting CIF', () => {
    // 4221307 fails the check digit; same email as client b, but b has another CIF → no match
    expect(matchClient({ email: 'office@demo.ro', taxIds: [{ type: 'ro_tin', value: '4221307' }] }, rows)).toBeNull();
  });
  it('foreign EU VAT matches by vatCode', () => {
    expect(matchClient({ taxIds: [{ type: 'eu_vat', value: 'de123456789' }] }, rows)).toEqual({ clientId: 'c', matchedBy: 'eu_vat' });
  });
  it('email is case-insensitive', () => {
    expect(matchClient({ email: ' Ion@Example.RO ' }, rows)).toEqual({ clientId: 'd', matchedBy: 'email' });
  });
  it('name matches after folding diacritics and legal forms', () => {
    expect(matchClient({ name: 'Demo Șoftware S.R.L.' }, rows)).toEqual({ clientId: 'b', matchedBy: 'name' });
  });
  it('ambiguous email or name gives no match unless the other key decides', () => {
    const dup: StornoClientRow[] = [{ id: 'p', name: 'Ana Pop', email: 'x@y.ro' }, { id: 'q', name: 'Ana Popa', email: 'x@y.ro' }];
    expect(matchClient({ email: 'x@y.ro' }, dup)).toBeNull();
    expect(matchClient({ email: 'x@y.ro', name: 'Ana Popa' }, dup)).toEqual({ clientId: 'q', matchedBy: 'email' });
  });
  it('a shared name does not match a client whose e-mail is another person\'s', () => {
    const ana: StornoClientRow[] = [{ id: 'a1', type: 'individual', name: 'Ana Popescu', email: 'ana@example.ro' }];
    expect(matchClient({ name: 'Ana Popescu', email: 'ana.popescu@example.ro' }, ana)).toBeNull();
    expect(matchClient({ name: 'Ana Popescu' }, ana)).toEqual({ clientId: 'a1', matchedBy: 'name' });
  });
  it('CIF beats email', () => {
    expect(matchClient({ email: 'office@alta.ro', taxIds: [{ type: 'eu_vat', value: 'RO4221306' }] }, rows)).toEqual({ clientId: 'b', matchedBy: 'ro_cif' });
  });
  it('returns null when nothing matches', () => {
    expect(matchClient({ name: 'Nimeni', email: 'n@n.ro' }, rows)).toBeNull();
  });
});

describe('search terms and proposal', () => {
  it('asks Storno for CIF digits, email and the name core', () => {
    expect(clientSearchTerms({ name: 'Demo Șoftware S.R.L.', email: 'office@demo.ro', taxIds: [{ type: 'eu_vat', value: 'RO 04221306' }] })).toEqual(['4221306', 'office@demo.ro', 'software']);
  });
  it('proposes a non-VAT Romanian company without RO and without vatCode', () => {
    const p = clientProposal({ name: 'Mica Firma SRL', taxIds: [{ type: 'ro_tin', value: 'RO 33333338'.replace('RO ', '') }], address: { line1: 'Str. A 1', city: 'Iași', state: 'Iasi', country: 'RO' } });
    expect(p).toMatchObject({ type: 'company', cui: '33333338', isVatPayer: false, county: 'RO-IS' });
    expect(p.vatCode).toBeUndefined();
  });
  it('takes the country from the VAT prefix when the address has none (EL → GR)', () => {
    expect(clientProposal({ name: 'Etaireia AE', taxIds: [{ type: 'eu_vat', value: 'EL123456789' }] })).toMatchObject({ country: 'GR', vatCode: 'EL123456789', isVatPayer: false });
  });
});

describe('the right buyer: a match only when the fiscal identity agrees', () => {
  const company = { id: 'co', type: 'company', name: 'Tehnic Cluj SRL', cui: '4221306', vatCode: 'RO4221306', email: 'facturi@tehniccluj.ro', country: 'RO' };

  it('a consumer using the e-mail of a company client is proposed, never matched', () => {
    const d = decideClient({ name: 'Ana Popescu', email: 'FACTURI@tehniccluj.ro' }, [company]);
    expect(d.match).toBeNull();
    expect(d.proposal).toMatchObject({ clientId: 'co', reason: expect.stringMatching(/same e-mail.*company \(CIF 4221306\).*no tax ID/) });
  });

  it('a customer with a CIF never matches a client with another or no CIF, and says why', () => {
    const d = decideClient({ email: 'facturi@tehniccluj.ro', taxIds: [{ type: 'eu_vat', value: 'RO33333338' }] }, [company, { id: 'p', name: 'Nume', email: 'facturi@tehniccluj.ro' }]);
    expect(d.match).toBeNull();
    expect(d.passedOver.map((p) => p.reason)).toEqual([
      'same e-mail, but the client has CIF 4221306 and the customer has CIF 33333338',
      'same e-mail, but the client has no tax ID and the customer has CIF 33333338',
    ]);
  });

  it('a CNP matches only the same CNP', () => {
    const people = [{ id: 'x', type: 'individual', name: 'Maria Ionescu', cnp: '1960523123457', email: 'm@i.ro' }, { id: 'y', type: 'individual', name: 'Maria Ionescu', cnp: '2850307220018' }];
    expect(matchClient({ name: 'Maria Ionescu', email: 'm@i.ro', taxIds: [{ type: 'ro_tin', value: '2850307220018' }] }, people)).toEqual({ clientId: 'y', matchedBy: 'ro_cnp' });
    expect(matchClient({ name: 'Maria Ionescu', email: 'm@i.ro', taxIds: [{ type: 'ro_tin', value: '5000101000005' }] }, people)).toBeNull();
  });

  it('without a tax id, a company client matches only the same legal entity (legal form included)', () => {
    expect(matchClient({ name: 'SC Tehnic Cluj S.R.L.' }, [company])).toEqual({ clientId: 'co', matchedBy: 'name' });
    expect(matchClient({ name: 'Tehnic Cluj S.R.L.', email: 'facturi@tehniccluj.ro' }, [company])).toEqual({ clientId: 'co', matchedBy: 'email' });
    const sa = decideClient({ name: 'Tehnic Cluj SA' }, [company]);
    expect(sa.match).toBeNull();
    expect(sa.passedOver[0].reason).toMatch(/different legal entity/);
    expect(matchClient({ name: 'Tehnic Cluj' }, [company])).toBeNull();
    expect(matchClient({ name: 'Popescu Ion' }, [{ id: 'pfa', type: 'company', name: 'Popescu Ion PFA', cui: '33333338' }])).toBeNull();
  });

  it('a remembered match is re-checked against the client as Storno has it now', () => {
    expect(stillAgrees({ taxIds: [{ type: 'eu_vat', value: 'RO4221306' }] }, company, 'ro_cif')).toBe(true);
    expect(stillAgrees({ taxIds: [{ type: 'eu_vat', value: 'RO4221306' }] }, { ...company, cui: '33333338', vatCode: null }, 'ro_cif')).toBe(false);
    expect(stillAgrees({ name: 'Ana', email: 'ana@x.ro' }, { id: 'i', type: 'individual', name: 'Ana', email: 'ana@x.ro' }, 'email')).toBe(true);
    expect(stillAgrees({ name: 'Ana', email: 'ana@x.ro' }, { id: 'i', type: 'company', name: 'Ana SRL', cui: '4221306', email: 'ana@x.ro' }, 'email')).toBe(false);
    expect(stillAgrees({ name: 'Ana', email: 'facturi@tehniccluj.ro' }, company, 'confirmed')).toBe(true);
  });
});
