import { extractSector, normalizeAddress, normalizeCounty, RO_COUNTIES } from './address.js';

describe('normalizeCounty', () => {
  it('covers all 42 counties by code and by name', () => {
    expect(Object.keys(RO_COUNTIES)).toHaveLength(42);
    for (const [code, name] of Object.entries(RO_COUNTIES)) {
      expect(normalizeCounty(name)).toBe(code);
      expect(normalizeCounty(code)).toBe(code);
      expect(normalizeCounty(code.slice(3).toLowerCase())).toBe(code);
      expect(normalizeCounty(`Județul ${name}`)).toBe(code);
    }
  });
  it.each([
    ['Județul Cluj', 'RO-CJ'], ['cluj', 'RO-CJ'], ['CJ', 'RO-CJ'], ['jud. Cluj', 'RO-CJ'], ['Iasi', 'RO-IS'], ['Iași', 'RO-IS'], ['IAŞI', 'RO-IS'],
    ['Bistrita Nasaud', 'RO-BN'], ['Caras-Severin', 'RO-CS'], ['Satu-Mare', 'RO-SM'], ['Municipiul București', 'RO-B'], ['B', 'RO-B'], ['RO-B', 'RO-B'],
    ['Bucharest', 'RO-B'], ['Vâlcea', 'RO-VL'], ['Valcea', 'RO-VL'], ['Cluj County', 'RO-CJ'],
  ])('%s → %s', (input, code) => expect(normalizeCounty(input)).toBe(code));
  it.each(['Transilvania', 'Moldova', '', 'XX', 'Cluj-Napoca'])('%s → null', (input) => expect(normalizeCounty(input)).toBeNull());
});

describe('sectors and Bucharest', () => {
  it.each([['Sector 3', 3], ['sectorul 3', 3], ['sect. 3', 3], ['SECTOR3', 3], ['Str. X 5, Sector 6', 6], ['Bucuresti sector 1', 1], ['Sector 7', null], ['Str. Sectorului 2', null]])('%s → %s', (t, n) => {
    expect(extractSector(t)).toBe(n);
  });
  it('Bucharest from the city, state B, or a "Sector n" city', () => {
    expect(normalizeAddress({ line1: 'Str. X 5', city: 'Bucharest', state: 'Sector 2', country: 'RO' })).toMatchObject({ county: 'RO-B', city: 'SECTOR2', bucharest: true, problems: [] });
    expect(normalizeAddress({ line1: 'Str. X 5', line2: 'sect. 4', city: 'Bucuresti', state: 'B', country: 'RO' })).toMatchObject({ county: 'RO-B', city: 'SECTOR4' });
    expect(normalizeAddress({ line1: 'Calea Victoriei 1', city: 'Sector 1', country: 'RO' })).toMatchObject({ county: 'RO-B', city: 'SECTOR1' });
    expect(normalizeAddress({ line1: 'Calea Victoriei 1', city: 'București', state: 'RO-B', country: 'RO' }).problems).toEqual(['sector_missing']);
  });
  it('reports missing pieces of a Romanian address and ignores foreign ones', () => {
    expect(normalizeAddress({ postal_code: '400000', country: 'RO' }).problems).toEqual(['county_missing', 'street_missing', 'city_missing']);
    expect(normalizeAddress({ city: 'Berlin', country: 'DE' }).problems).toEqual([]);
    expect(normalizeAddress(null, [{ type: 'eu_vat', value: 'EL123456789' }]).country).toBe('GR');
  });
});
