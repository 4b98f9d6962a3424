import { Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { IdentityWebModule } from 'nest-identity-web';
import { IdentityWebAzureModule } from 'nest-identity-web-azure';
import { IdentityWebGraphModule } from 'nest-identity-web-graph';
import { ProfileController } from './profile.controller.js';

@Module({
  imports: [
    // AzureAd__Instance-style environment variables override appsettings.json (compat/run.mjs
    // points the app at the emulator that way).
    IdentityWebModule.forRoot(JSON.parse(readFileSync('appsettings.json', 'utf8'))),
    IdentityWebGraphModule.forRoot(),
    IdentityWebAzureModule.forRoot(),
  ],
  controllers: [ProfileController],
})
export class AppModule {}
