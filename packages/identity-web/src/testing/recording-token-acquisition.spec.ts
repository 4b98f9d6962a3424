import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ChallengeUserException, TokenAcquisitionService, type SignedInUser } from 'nest-identity-web';
import { RecordingTokenAcquisition, SIGNED_IN_USER } from 'nest-identity-web/testing';

/** A user's service, as the class's TSDoc example has it: it asks for a token for the user. */
@Injectable()
class MailService {
  constructor(private readonly tokens: TokenAcquisitionService) {}

  async latest(user: SignedInUser): Promise<string> {
    const token = await this.tokens.getAccessTokenForUser(['Mail.Read'], { user });
    return `Bearer ${token.accessToken}`;
  }
}

describe('nest-identity-web/testing: RecordingTokenAcquisition in place of the real service', () => {
  async function mailService(tokens: RecordingTokenAcquisition): Promise<MailService> {
    const moduleRef = await Test.createTestingModule({
      providers: [MailService, { provide: TokenAcquisitionService, useValue: tokens }],
    }).compile();
    return moduleRef.get(MailService);
  }

  it('records what the service asked for and answers the fixed user token', async () => {
    const tokens = new RecordingTokenAcquisition();
    await expect((await mailService(tokens)).latest(SIGNED_IN_USER)).resolves.toBe('Bearer user-token');
    expect(tokens.userCalls).toEqual([
      { kind: 'user', scopes: ['Mail.Read'], options: { user: SIGNED_IN_USER } },
    ]);
    expect(tokens.appCalls).toEqual([]);
  });

  it('lets a test make the user act (consent, MFA) through userError', async () => {
    const tokens = new RecordingTokenAcquisition();
    tokens.userError = new ChallengeUserException(['Mail.Read'], 'Consent required.');
    await expect((await mailService(tokens)).latest(SIGNED_IN_USER)).rejects.toBe(tokens.userError);
    expect(tokens.userCalls).toHaveLength(1);
  });
});
