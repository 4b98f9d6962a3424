import { certificateFailure } from './tls-failure';

describe('certificateFailure', () => {
  it("finds the TLS code under undici's 'fetch failed' and the library's own wrappers", () => {
    const tls = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    const fetchFailed = new TypeError('fetch failed', { cause: tls });
    expect(certificateFailure(new Error('GET https://idp/ failed', { cause: fetchFailed }))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
  });

  it('is undefined for other network failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(certificateFailure(new TypeError('fetch failed', { cause: refused }))).toBeUndefined();
    expect(certificateFailure(undefined)).toBeUndefined();
  });
});
