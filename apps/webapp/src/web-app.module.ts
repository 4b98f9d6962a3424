import { type DynamicModule, Module } from '@nestjs/common';
import { IdentityWebModule, type IdentityWebAppSettings } from 'nest-identity-web';
import { EmailsController } from './emails.controller';
import { HomeController } from './home.controller';
import { ProfileController } from './profile.controller';
import { TodosController } from './todos.controller';

/** The sample web app, configured with appsettings-shaped settings. */
@Module({})
export class WebAppModule {
  static forSettings(settings: IdentityWebAppSettings): DynamicModule {
    return {
      module: WebAppModule,
      imports: [IdentityWebModule.forRoot(settings)],
      controllers: [HomeController, ProfileController, TodosController, EmailsController],
    };
  }
}
