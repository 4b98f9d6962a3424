import { Controller, Get, Header } from '@nestjs/common';
import { AllowAnonymous, CurrentUser, type SignedInUser } from 'nest-identity-web';
import { page } from './html';

/** The public landing page. */
@Controller()
@AllowAnonymous()
export class HomeController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  home(@CurrentUser() user: SignedInUser | undefined): string {
    return page(
      'Identity Web for NestJS — sample',
      user
        ? '<p>You are signed in. Open your profile, your todo list or your mail.</p>'
        : '<p>Sign in to see your profile, todo list and mail.</p>',
      user?.name ?? user?.username,
    );
  }
}
