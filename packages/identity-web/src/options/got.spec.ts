import { got, looksLikeSecret } from './got';

const CLIENT_SECRET = 'Abc8Q~k3D2fGh_jKlMnOpQrStUvWxYz0123456789';

describe('got', () => {
  it('shows ordinary values whole, and long ones cut', () => {
    expect(got('Magic')).toBe(' (got "Magic")');
    expect(got(42)).toBe(' (got 42)');
    expect(got(['GET', 'PUT'])).toBe(' (got ["GET","PUT"])');
    expect(got('https://login.example/' + 'x'.repeat(80))).toMatch(
      /^ \(got "https:\/\/login\.example\/x+\.\.\.\)$/,
    );
  });

  it('never shows a value that looks like a generated secret, only its first characters and length', () => {
    for (const secret of [
      CLIENT_SECRET,
      'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
      'dGhpcyBpcyBhIHNlY3JldCB2YWx1ZQ==',
    ]) {
      const shown = got(secret);
      expect(shown).toBe(` (got "${secret.slice(0, 3)}…" (${secret.length} characters))`);
    }
  });

  it('hides secrets inside objects and arrays', () => {
    const shown = got({ SourceType: 'ClientSecret', ClientSecret: 'hunter2', Other: [CLIENT_SECRET] });
    expect(shown).not.toMatch(/hunter2|k3D2fGh/);
    expect(shown).toMatch(/"ClientSecret":"\[redacted\]"/);
  });

  it('shows only the length of a value whose key is marked secret', () => {
    expect(got('hunter2', { secret: true })).toBe(' (got a value of 7 characters)');
    expect(got(42, { secret: true })).toBe(' (got a number)');
  });

  it('shows only a short prefix and the length for prefixOnly keys (ClientId, TenantId)', () => {
    expect(got('Enter_the_Application_Id_here', { prefixOnly: true })).toBe(' (got "Ent…" (29 characters))');
  });
});

describe('looksLikeSecret', () => {
  it('tells generated secrets from the values configuration usually holds', () => {
    expect(looksLikeSecret(CLIENT_SECRET)).toBe(true);
    for (const ordinary of [
      '11111111-2222-3333-4444-555555555555',
      'contoso.onmicrosoft.com',
      'B2C_1_SignUpSignIn',
      'Enter_the_Application_Id_here',
      'https://login.microsoftonline.com/a1b2c3d4e5f6a7b8c9d0',
      '/etc/certs/a1b2c3d4e5f6a7b8c9d0.pem',
      'user.read mail.read calendars.read',
    ]) {
      expect({ ordinary, secret: looksLikeSecret(ordinary) }).toEqual({ ordinary, secret: false });
    }
  });
});
