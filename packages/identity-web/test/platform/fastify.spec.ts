import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IdentityWebModule, InvalidConfigurationError } from 'nest-identity-web';

const GUID = '11111111-2222-3333-4444-555555555555';

@Controller()
class PagesController {
  @Get('profile')
  profile(): string {
    return 'profile';
  }
}

@Module({
  imports: [
    IdentityWebModule.forRoot({
      azureAd: {
        instance: 'https://login.microsoftonline.com/',
        tenantId: GUID,
        clientId: GUID,
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: 'not-used-here' }],
      },
      session: { secret: 'a-test-session-secret-of-32-characters!!' },
    }),
  ],
  controllers: [PagesController],
})
class AppModule {}

// Without this check the app started on Fastify and every protected page answered 500
// ("res.setHeader is not a function"), the sign-in route 503: the library needs Express's request and response.
describe('IdentityWebModule on @nestjs/platform-fastify', () => {
  it('refuses to start, saying Express is required and how to get it', async () => {
    const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
    try {
      const started = app.init();
      await expect(started).rejects.toThrow(InvalidConfigurationError);
      await expect(started).rejects.toThrow(
        /IdentityWebModule needs Nest's Express platform \(@nestjs\/platform-express\), but this app runs on 'fastify'.*NestFactory\.create\(AppModule\)/,
      );
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('starts the same module on the default Express platform', async () => {
    const app = await NestFactory.create(AppModule, { logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      const res = await fetch(`${await app.getUrl()}/profile`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
