import { runInNewContext } from 'node:vm';
import { browserScript } from './browser-script';

describe('browserScript', () => {
  it('is a classic script that defines window.identityWeb, whatever compiled the helpers', () => {
    const window: Record<string, unknown> = {};
    const document = { getElementById: () => null };
    runInNewContext(browserScript(), { window, document });
    expect(window.identityWeb).toEqual({
      fetch: expect.any(Function),
      createConsentFetch: expect.any(Function),
    });
    expect(browserScript()).not.toMatch(/\b(require|exports)\b/);
  });
});
