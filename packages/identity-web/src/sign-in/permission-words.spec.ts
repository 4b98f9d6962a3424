import { describePermissions } from './permission-words';

describe('describePermissions', () => {
  it('names known permissions by what they allow, others by name, without the sign-in scopes', () => {
    expect(describePermissions(['openid', 'profile', 'offline_access', 'Mail.Read'], [])).toBe(
      'read your mail',
    );
    expect(
      describePermissions(
        ['https://graph.microsoft.com/Mail.Send', 'MAIL.READ', 'api://todo/access_as_user'],
        [],
      ),
    ).toBe('send mail as you, read your mail and use “api://todo/access_as_user”');
  });

  it('leaves out the initial scopes unless nothing else was asked for', () => {
    expect(describePermissions(['openid', 'User.Read', 'Mail.Read'], ['User.Read'])).toBe('read your mail');
    expect(describePermissions(['openid', 'User.Read'], ['User.Read'])).toBe('read your profile');
    expect(describePermissions(['openid', 'profile', 'offline_access'], [])).toBe('sign you in');
  });
});
