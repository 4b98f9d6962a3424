import { array, boolean, string } from './option-kinds';
import { knownKeys, readFields, warnUnknownKeys } from './option-section';
import type { InputOf, ResolvedOf } from './option-types';
import { OptionsReport } from './options-report';
import { SectionReader } from './section-reader';

const ENTRY = { name: string() };
const FIELDS = {
  clientId: string().required('the client ID.'),
  instance: string().default('https://login.microsoftonline.com/'),
  authority: string().derived(),
  domain: string(),
  sendX5c: boolean({ key: 'SendX5C' }).foldedInto('clientCredentials'),
  clientCredentials: array<InputOf<typeof ENTRY>>(ENTRY).derived(),
};

describe('a section description', () => {
  it('lists its keys as written in appsettings.json', () => {
    expect(knownKeys(FIELDS)).toEqual([
      'ClientId',
      'Instance',
      'Authority',
      'Domain',
      'SendX5C',
      'ClientCredentials',
    ]);
  });

  it("reads its keys, leaving legacy keys and arrays of sections to the section's rules", () => {
    const report = new OptionsReport();
    const values = { clientid: 'id', Authority: 'a', SendX5C: 'maybe', ClientCredentials: 'not read here' };
    expect(readFields(FIELDS, new SectionReader(values, 'AzureAd', report))).toEqual({
      clientId: 'id',
      instance: 'https://login.microsoftonline.com/',
      authority: 'a',
    });
    expect(report.problems).toEqual([]);
  });

  it('warns about the keys it does not describe', () => {
    const report = new OptionsReport();
    warnUnknownKeys(new SectionReader({ clientId: 'id', SaveTokens: true }, 'AzureAd', report), FIELDS);
    expect(report.warnings).toEqual([
      { path: 'AzureAd:SaveTokens', message: 'is not read by nest-identity-web; it is ignored.' },
    ]);
  });

  it('gives the input and resolved types: required, defaulted, derived, optional and legacy keys', () => {
    const input: InputOf<typeof FIELDS> = { clientId: 'id', sendX5c: true };
    // @ts-expect-error clientId is required in the input
    const noClientId: InputOf<typeof FIELDS> = { instance: 'x' };
    const resolved: ResolvedOf<typeof FIELDS> = {
      clientId: 'id',
      instance: 'i',
      authority: 'a',
      clientCredentials: [],
    };
    // @ts-expect-error a legacy key is folded away once resolved
    const legacy: ResolvedOf<typeof FIELDS> = { ...resolved, sendX5c: true };
    // @ts-expect-error a derived key is always there once resolved
    const noAuthority: ResolvedOf<typeof FIELDS> = { clientId: 'id', instance: 'i', clientCredentials: [] };
    expect([input, noClientId, resolved, legacy, noAuthority]).toHaveLength(5);
  });
});
