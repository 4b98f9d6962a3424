import { renderResubmitPage } from './resubmit.page';
import type { PendingFormPost } from './sign-in-session';

const base: PendingFormPost = { id: 'abc', user: 'u', action: '/send', returnUrl: '/compose', createdAt: 0 };

describe('renderResubmitPage', () => {
  it('keeps the fields as hidden inputs that no value can break out of', () => {
    const html = renderResubmitPage(
      { ...base, kind: 'form', fields: [['note', '"><script>alert(1)</script>']] },
      '/account/resubmit?id=abc',
      '/account/identity-web.js',
    );
    expect(html).toContain(
      '<input type="hidden" name="note" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    expect(html).toContain('<script src="/account/identity-web.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('keeps a JSON body in a data block that cannot close itself', () => {
    const html = renderResubmitPage(
      { ...base, kind: 'json', json: JSON.stringify({ note: '</script><script>alert(1)</script>' }) },
      '/account/resubmit?id=abc',
      '/account/identity-web.js',
    );
    const data = /<script type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(data)).toEqual({ note: '</script><script>alert(1)</script>' });
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});
