import { OIDC_SCOPES } from '../token-acquisition/scopes';

const GRAPH_PREFIX = 'https://graph.microsoft.com/';

/** What common delegated permissions let an app do, in the words of a consent page. */
const WORDS: Record<string, string> = {
  'user.read': 'read your profile',
  'user.readwrite': 'read and update your profile',
  'user.readbasic.all': "read the basic profiles of your organization's users",
  'user.read.all': "read the profiles of your organization's users",
  'mail.read': 'read your mail',
  'mail.readbasic': 'read the subjects and senders of your mail',
  'mail.readwrite': 'read and change your mail',
  'mail.send': 'send mail as you',
  'calendars.read': 'read your calendars',
  'calendars.readwrite': 'read and change your calendars',
  'contacts.read': 'read your contacts',
  'contacts.readwrite': 'read and change your contacts',
  'files.read': 'read your files',
  'files.readwrite': 'read and change your files',
  'files.read.all': 'read all files you can open',
  'files.readwrite.all': 'read and change all files you can open',
  'tasks.read': 'read your tasks',
  'tasks.readwrite': 'read and change your tasks',
  'https://storage.azure.com/user_impersonation': 'use Azure Storage as you',
};

const SIGN_IN = new Set(OIDC_SCOPES.map((s) => s.toLowerCase()));

/**
 * What a cancelled request would have allowed, in words, for the page that tells the user:
 * known Microsoft Graph and Azure permissions by what they do ("read your mail"), others by name.
 * Sign-in scopes are left out, and so is `initialScopes` unless nothing else was asked for; with
 * nothing left, "sign you in".
 *
 * @example
 * ```ts
 * describePermissions(['openid', 'profile', 'offline_access', 'Mail.Read', 'Mail.Send'], []); // 'read your mail and send mail as you'
 * ```
 */
export function describePermissions(scopes: readonly string[], initialScopes: readonly string[]): string {
  const initial = new Set(initialScopes.map((s) => s.toLowerCase()));
  const named = scopes.filter((s) => !SIGN_IN.has(s.toLowerCase()));
  const asked = named.filter((s) => !initial.has(s.toLowerCase()));
  const shown = asked.length > 0 ? asked : named;
  if (shown.length === 0) return 'sign you in';
  const words = [...new Set(shown.map(wordsFor))];
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function wordsFor(scope: string): string {
  const lower = scope.toLowerCase();
  const key = lower.startsWith(GRAPH_PREFIX) ? lower.slice(GRAPH_PREFIX.length) : lower;
  return WORDS[key] ?? `use “${scope}”`;
}
