import { boolean, list, string } from './option-kinds';
import { OptionsReport } from './options-report';
import { SectionReader } from './section-reader';

function sectionOf(values: Record<string, unknown>) {
  const report = new OptionsReport();
  return { section: new SectionReader(values, 'AzureAd', report), report };
}

describe('Field', () => {
  it('reads the key named after its property, capitalised, in any casing', () => {
    const { section } = sectionOf({ CLIENTID: 'abc' });
    expect(string().read(section, 'clientId')).toBe('abc');
  });

  it('reads the key spelled as the description says when that is not the property capitalised', () => {
    const { section } = sectionOf({ SendX5C: 'true' });
    expect(boolean({ key: 'SendX5C' }).read(section, 'sendX5c')).toBe(true);
  });

  it('reports a missing required key, but not a malformed one a second time', () => {
    const clientId = string().required('the application (client) ID.');
    const missing = sectionOf({ ClientId: '' });
    const malformed = sectionOf({ ClientId: 42 });
    clientId.read(missing.section, 'clientId');
    clientId.read(malformed.section, 'clientId');
    expect(missing.report.problems).toEqual([
      { path: 'AzureAd:ClientId', message: 'is required: the application (client) ID.' },
    ]);
    expect(malformed.report.problems).toEqual([
      { path: 'AzureAd:ClientId', message: 'must be a non-empty string (got 42).' },
    ]);
  });

  it('gives every resolution its own copy of a default', () => {
    const scopes = list().default([]);
    const first = scopes.read(sectionOf({}).section, 'scopes');
    expect(first).toEqual([]);
    expect(scopes.read(sectionOf({}).section, 'scopes')).not.toBe(first);
  });

  it("applies a per-key rule with the key's display rules", () => {
    const tenantId = string({
      prefixOnly: true,
      rule: (value, at) => {
        at.section.report.warn(at.path, `looks odd${at.got(value)}.`);
        return value.toLowerCase();
      },
    });
    const { section, report } = sectionOf({ TenantId: 'Contoso' });
    expect(tenantId.read(section, 'tenantId')).toBe('contoso');
    expect(report.warnings).toEqual([
      { path: 'AzureAd:TenantId', message: 'looks odd (got "Con…" (7 characters)).' },
    ]);
  });
});
