import { createHash } from 'node:crypto';

import type { User } from '../directory/directory.types';

/** A message as Graph returns it (a subset of its properties). */
export interface GraphMessage {
  id: string;
  subject: string;
  bodyPreview: string;
  body: { contentType: 'text' | 'html'; content: string };
  receivedDateTime: string;
  isRead: boolean;
  importance: 'low' | 'normal' | 'high';
  from: { emailAddress: { name: string; address: string } };
  toRecipients: { emailAddress: { name?: string; address: string } }[];
}

/** A message sent through `POST /me/sendMail`. */
export interface SentMail {
  /** Sender's username. */
  from: string;
  /** Sender's object id. */
  fromOid: string;
  sentAt: string;
  saveToSentItems: boolean;
  message: Record<string, unknown>;
}

/** How many messages every mailbox holds. */
export const SEEDED_MESSAGE_COUNT = 25;

const SENDERS = ['Megan Bowen', 'Adele Vance', 'Lee Gu', 'Nestor Wilke', 'Pradeep Gupta'];
const TOPICS = ['Quarterly review', 'Lunch on Friday?', 'Build is green', 'Design notes', 'Travel plans'];

/**
 * A user's deterministic mailbox: the same messages (ids, subjects, dates) on every run, newest first.
 *
 * @example
 * ```ts
 * seededMessages(alice)[0].subject; // 'Quarterly review #1'
 * ```
 */
export function seededMessages(user: User): GraphMessage[] {
  const base = Date.UTC(2024, 0, 31, 12, 0, 0);
  return Array.from({ length: SEEDED_MESSAGE_COUNT }, (_, i) => {
    const sender = SENDERS[i % SENDERS.length];
    const address = `${sender.toLowerCase().replace(' ', '.')}@contoso.onmicrosoft.com`;
    const subject = `${TOPICS[i % TOPICS.length]} #${i + 1}`;
    const content = `Hello ${user.displayName}, this is message ${i + 1} of your emulated mailbox.`;
    return {
      id: `AAMk${createHash('sha256').update(`${user.oid}:${i}`).digest('base64url').slice(0, 40)}`,
      subject,
      bodyPreview: content,
      body: { contentType: 'text', content },
      receivedDateTime: new Date(base - i * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      isRead: i % 3 === 0,
      importance: i % 7 === 0 ? 'high' : 'normal',
      from: { emailAddress: { name: sender, address } },
      toRecipients: [{ emailAddress: { name: user.displayName, address: user.username } }],
    };
  });
}
